// The sqlite kind: a database file under sources.file_roots, opened read-only, its table or query read row by row.
#include <sqlite3.h>

#include <memory>

#include "data/sources/rows_file.h"
#include "data/sources/source_reader.h"

namespace maas::data::sources {
namespace {

using nlohmann::json;
using DbHandle = std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)>;
using StatementHandle = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

Result<DbHandle> open_readonly(const Source& source, const FileRoots& roots) {
  MAAS_ASSIGN_OR_RETURN(auto path, resolve_file(source.config["path"].get<std::string>(), roots));
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  DbHandle db(raw, sqlite3_close_v2);
  if (rc != SQLITE_OK) {
    return invalid_argument("cannot open the SQLite database: " +
                            std::string(raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  // The source's SQL reads this database only.
  sqlite3_limit(raw, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

Result<StatementHandle> prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, &tail);
  StatementHandle stmt(raw, sqlite3_finalize);
  if (rc != SQLITE_OK)
    return invalid_argument("the source's SQL does not run on SQLite: " + std::string(sqlite3_errmsg(db)));
  if (!raw) return invalid_argument("the source's SQL is empty");
  if (!sqlite3_stmt_readonly(raw)) return invalid_argument("the source's SQL must only read");
  return stmt;
}

json cell(sqlite3_stmt* s, int i) {
  switch (sqlite3_column_type(s, i)) {
    case SQLITE_INTEGER:
      return sqlite3_column_int64(s, i);
    case SQLITE_FLOAT:
      return sqlite3_column_double(s, i);
    case SQLITE_NULL:
      return nullptr;
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
      return std::string(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(s, i)));
    }
  }
}

void bind_watermark(sqlite3_stmt* s, const json& since) {
  if (since.is_number_integer()) {
    sqlite3_bind_int64(s, 1, since.get<int64_t>());
  } else if (since.is_number()) {
    sqlite3_bind_double(s, 1, since.get<double>());
  } else {
    std::string text = since.is_string() ? since.get<std::string>() : since.dump();
    sqlite3_bind_text(s, 1, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
}

}  // namespace

Result<ReadOutcome> read_sqlite(const ReadRequest& request) {
  const Source& source = *request.source;
  MAAS_ASSIGN_OR_RETURN(auto db, open_readonly(source, request.roots));
  const bool incremental = !request.since.is_null();
  MAAS_ASSIGN_OR_RETURN(auto stmt, prepare(db.get(), source_select(source, incremental, "?1")));
  if (incremental) bind_watermark(stmt.get(), request.since);
  const std::string column = watermark_column(source);
  int watermark_index = -1;
  const int columns = sqlite3_column_count(stmt.get());
  for (int i = 0; i < columns; ++i) {
    if (!column.empty() && column == sqlite3_column_name(stmt.get(), i)) watermark_index = i;
  }
  if (!column.empty() && watermark_index < 0) {
    return invalid_argument("the watermark column '" + column + "' is not among the source's columns");
  }
  MAAS_ASSIGN_OR_RETURN(RowsFile out, RowsFile::create(request.out_dir / "rows.jsonl"));
  ReadOutcome outcome;
  for (;;) {
    int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW)
      return invalid_argument("reading the SQLite source failed: " + std::string(sqlite3_errmsg(db.get())));
    json row = json::object();
    for (int i = 0; i < columns; ++i) row[sqlite3_column_name(stmt.get(), i)] = cell(stmt.get(), i);
    if (watermark_index >= 0 && sqlite3_column_type(stmt.get(), watermark_index) != SQLITE_NULL) {
      outcome.watermark = cell(stmt.get(), watermark_index);
    }
    MAAS_RETURN_IF_ERROR(out.write(row));
    if (out.rows() % 10'000 == 0) {
      if (request.cancelled()) return unavailable("the snapshot was cancelled");
      request.progress(out.rows());
    }
  }
  MAAS_RETURN_IF_ERROR(out.close());
  outcome.rows = out.rows();
  outcome.format = "jsonl";
  if (outcome.rows > 0) outcome.file = out.path();
  return outcome;
}

Status check_sqlite(const Source& source, const FileRoots& roots) {
  MAAS_ASSIGN_OR_RETURN(auto db, open_readonly(source, roots));
  MAAS_ASSIGN_OR_RETURN(auto stmt, prepare(db.get(), source_select(source, !watermark_column(source).empty(), "NULL")));
  const std::string column = watermark_column(source);
  if (column.empty()) return {};
  for (int i = 0; i < sqlite3_column_count(stmt.get()); ++i) {
    if (column == sqlite3_column_name(stmt.get(), i)) return {};
  }
  return invalid_argument("the watermark column '" + column + "' is not among the source's columns");
}

}  // namespace maas::data::sources
