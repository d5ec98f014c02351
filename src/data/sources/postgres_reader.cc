// The postgres kind, through libpq: a connection from keyword/value pairs (nothing is parsed out of a name, so no
// field can smuggle in another option), the table or query streamed in single-row mode (bounded memory), values
// typed by their column's type.
#include <libpq-fe.h>

#include <memory>
#include <string>
#include <vector>

#include "data/engine/sql_text.h"
#include "data/sources/rows_file.h"
#include "data/sources/source_reader.h"

namespace maas::data::sources {
namespace {

using nlohmann::json;
using PgConnection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Type OIDs of pg_type that read as JSON numbers and booleans.
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700;

std::string first_line(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// `for_check`: a failure to connect is the client's to fix (400); in a job it may pass (a database restarting).
Result<PgConnection> connect(const Source& source, const std::string& password, bool for_check) {
  const json& c = source.config;
  const std::string host = c["host"].get<std::string>();
  const std::string port = std::to_string(c["port"].get<int64_t>());
  const std::string database = c["database"].get<std::string>();
  const std::string user = c["user"].get<std::string>();
  const std::string timeout = std::to_string(c["connect_timeout_s"].get<int64_t>());
  std::vector<const char*> keys = {"host", "port", "dbname", "user", "connect_timeout", "application_name"};
  std::vector<const char*> values = {host.c_str(), port.c_str(),    database.c_str(),
                                     user.c_str(), timeout.c_str(), "maas"};
  if (!password.empty()) {
    keys.push_back("password");
    values.push_back(password.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PgConnection conn(PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/0), PQfinish);
  if (!conn) return internal_error("libpq is out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    std::string message = "cannot connect to PostgreSQL: " + first_line(PQerrorMessage(conn.get()));
    bool refused = message.find("authentication") != std::string::npos ||
                   message.find("does not exist") != std::string::npos || message.find("password") != std::string::npos;
    return for_check || refused ? invalid_argument(message) : unavailable(message);
  }
  return conn;
}

json cell(const PGresult* r, int row, int column) {
  if (PQgetisnull(r, row, column)) return nullptr;
  std::string text(PQgetvalue(r, row, column), static_cast<size_t>(PQgetlength(r, row, column)));
  switch (PQftype(r, column)) {
    case kBool:
      return text == "t";
    case kInt2:
    case kInt4:
    case kInt8:
      return std::stoll(text);
    case kFloat4:
    case kFloat8:
    case kNumeric: {
      json number = json::parse(text, nullptr, /*allow_exceptions=*/false);
      return number.is_number() ? number : json(text);  // NaN, Infinity
    }
    default:
      return text;
  }
}

std::string watermark_text(const json& since) { return since.is_string() ? since.get<std::string>() : since.dump(); }

}  // namespace

Result<ReadOutcome> read_postgres(const ReadRequest& request) {
  const Source& source = *request.source;
  MAAS_ASSIGN_OR_RETURN(PgConnection conn, connect(source, request.password, /*for_check=*/false));
  const bool incremental = !request.since.is_null();
  const std::string sql = source_select(source, incremental, "$1");
  const std::string since = incremental ? watermark_text(request.since) : std::string();
  const char* params[] = {since.c_str()};
  if (!PQsendQueryParams(conn.get(), sql.c_str(), incremental ? 1 : 0, nullptr, params, nullptr, nullptr, 0) ||
      !PQsetSingleRowMode(conn.get())) {
    return unavailable("cannot send the query to PostgreSQL: " + first_line(PQerrorMessage(conn.get())));
  }
  const std::string column = watermark_column(source);
  MAAS_ASSIGN_OR_RETURN(RowsFile out, RowsFile::create(request.out_dir / "rows.jsonl"));
  ReadOutcome outcome;
  Status failure;
  for (;;) {
    PgResult result(PQgetResult(conn.get()), PQclear);
    if (!result) break;
    ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_TUPLES_OK) continue;  // the end of the rows
    if (status != PGRES_SINGLE_TUPLE) {
      if (failure.ok()) {
        failure = invalid_argument("the source's SQL failed on PostgreSQL: " +
                                   first_line(PQresultErrorMessage(result.get())));
      }
      continue;  // drain the connection
    }
    if (!failure.ok()) continue;
    json row = json::object();
    const int columns = PQnfields(result.get());
    for (int i = 0; i < columns; ++i) row[PQfname(result.get(), i)] = cell(result.get(), 0, i);
    if (!column.empty()) {
      int index = PQfnumber(result.get(), engine::quote_identifier(column).c_str());
      if (index < 0) {
        failure = invalid_argument("the watermark column '" + column + "' is not among the source's columns");
        continue;
      }
      if (!PQgetisnull(result.get(), 0, index)) outcome.watermark = cell(result.get(), 0, index);
    }
    failure = out.write(row);
    if (out.rows() % 10'000 == 0) {
      if (request.cancelled()) {
        failure = unavailable("the snapshot was cancelled");
        PGcancel* cancel = PQgetCancel(conn.get());
        char buffer[256];
        if (cancel) PQcancel(cancel, buffer, sizeof buffer);
        PQfreeCancel(cancel);
      }
      request.progress(out.rows());
    }
  }
  MAAS_RETURN_IF_ERROR(failure);
  MAAS_RETURN_IF_ERROR(out.close());
  outcome.rows = out.rows();
  outcome.format = "jsonl";
  if (outcome.rows > 0) outcome.file = out.path();
  return outcome;
}

Status check_postgres(const Source& source, const std::string& password) {
  MAAS_ASSIGN_OR_RETURN(PgConnection conn, connect(source, password, /*for_check=*/true));
  const bool incremental = !watermark_column(source).empty();
  const std::string sql = source_select(source, incremental, "$1") + " LIMIT 0";
  PgResult prepared(PQprepare(conn.get(), "", sql.c_str(), 0, nullptr), PQclear);
  if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
    return invalid_argument("the source's SQL does not run on PostgreSQL: " +
                            first_line(PQresultErrorMessage(prepared.get())));
  }
  return {};
}

}  // namespace maas::data::sources
