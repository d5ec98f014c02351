#include "data/datasets/import.h"

#include <system_error>
#include <vector>

#include "data/datasets/jsonl_scan.h"
#include "data/engine/sql_text.h"

namespace maas::data {
namespace {

namespace fs = std::filesystem;
using engine::quote_identifier;
using engine::quote_literal;

// The temp tables of one import on a connection; dropped before each import so a connection can run many.
constexpr const char* kRejectErrors = "maas_reject_errors";
constexpr const char* kRejectScans = "maas_reject_scans";
constexpr const char* kJsonRejects = "maas_json_rejects";

constexpr const char* kParquetOptions = kSnapshotParquetOptions;

// Runs a statement that yields one integer: a COPY ... TO (the rows it wrote) or a count.
Result<int64_t> single_integer(engine::Connection& connection, const std::string& sql) {
  MAAS_ASSIGN_OR_RETURN(auto result, connection.query(sql));
  MAAS_ASSIGN_OR_RETURN(engine::Chunk chunk, result.fetch_all());
  if (chunk.rows != 1 || chunk.columns.empty() || chunk.columns[0].ints.empty()) {
    return internal_error("the statement did not yield one integer: " + sql);
  }
  return chunk.columns[0].ints[0];
}

std::string csv_reader(const fs::path& input, const ImportOptions& o) {
  std::string sql = "read_csv(" + quote_literal(input.string());
  if (o.delimiter) sql += ", delim = " + quote_literal(*o.delimiter);
  if (o.header) sql += std::string(", header = ") + (*o.header ? "true" : "false");
  if (o.quote) sql += ", quote = " + quote_literal(*o.quote);
  if (o.escape) sql += ", escape = " + quote_literal(*o.escape);
  if (o.null_string) sql += ", nullstr = " + quote_literal(*o.null_string);
  if (!o.column_types.empty()) {
    sql += ", types = {";
    bool first = true;
    for (const auto& [column, type] : o.column_types) {
      sql += (first ? "" : ", ") + quote_literal(column) + ": " + quote_literal(type);
      first = false;
    }
    sql += "}";
  }
  if (!o.date_format.empty()) sql += ", dateformat = " + quote_literal(o.date_format);
  if (!o.timestamp_format.empty()) sql += ", timestampformat = " + quote_literal(o.timestamp_format);
  sql += ", max_line_size = " + std::to_string(o.max_line_bytes);
  sql += ", sample_size = " + std::to_string(o.sample_rows);
  sql += ", store_rejects = true, rejects_table = '" + std::string(kRejectErrors) + "', rejects_scan = '" +
         kRejectScans + "')";
  return sql;
}

std::string json_reader(const fs::path& input, const ImportOptions& o) {
  std::string sql = "read_json(" + quote_literal(input.string()) + ", format = 'newline_delimited', records = true";
  sql += ", maximum_object_size = " + std::to_string(o.max_line_bytes);
  sql += ", sample_size = " + std::to_string(o.sample_rows);
  if (!o.date_format.empty()) sql += ", dateformat = " + quote_literal(o.date_format);
  if (!o.timestamp_format.empty()) sql += ", timestampformat = " + quote_literal(o.timestamp_format);
  return sql + ")";
}

// SELECT * with the overridden columns cast (JSON Lines and Parquet, whose readers have no per-column types).
// Type names were checked by ImportOptions::validate to be plain type names.
std::string select_with_casts(const std::string& reader, const ImportOptions& o) {
  if (o.column_types.empty()) return "SELECT * FROM " + reader;
  std::string replace;
  for (const auto& [column, type] : o.column_types) {
    replace += (replace.empty() ? "" : ", ") + std::string("CAST(") + quote_identifier(column) + " AS " + type +
               ") AS " + quote_identifier(column);
  }
  return "SELECT * REPLACE (" + replace + ") FROM " + reader;
}

Status check_rejected(int64_t rejected, int64_t rows, const ImportOptions& o, engine::Connection& connection,
                      const std::string& rejects_relation) {
  if (o.max_rejected_rows == 0 || rejected <= o.max_rejected_rows) return {};
  std::string first;
  auto result = connection.query("SELECT line, error_message FROM " + rejects_relation + " ORDER BY line LIMIT 1");
  if (result.ok()) {
    auto chunk = result->fetch_all();
    if (chunk.ok() && chunk->rows == 1) {
      first = "; the first is line " + std::to_string(chunk->columns[0].ints[0]) + ": " + chunk->columns[1].strings[0];
    }
  }
  return invalid_argument(std::to_string(rejected) + " rows were rejected (" + std::to_string(rows) +
                          " read), more than max_rejected_rows (" + std::to_string(o.max_rejected_rows) + ")" + first);
}

Result<ImportResult> import_csv(engine::Connection& connection, const fs::path& input, const ImportOptions& o,
                                const ImportTarget& target) {
  ImportResult out;
  MAAS_ASSIGN_OR_RETURN(out.rows, single_integer(connection, "COPY (SELECT * FROM " + csv_reader(input, o) + ") TO " +
                                                            quote_literal(target.snapshot.string()) + " " +
                                                            kParquetOptions));
  // One input line can have several errors (one per bad column): rows are counted once.
  MAAS_ASSIGN_OR_RETURN(out.rejected_rows,
                        single_integer(connection, std::string("SELECT count(DISTINCT line) FROM ") + kRejectErrors));
  MAAS_RETURN_IF_ERROR(check_rejected(out.rejected_rows, out.rows, o, connection, kRejectErrors));
  if (out.rejected_rows > 0) {
    MAAS_RETURN_IF_ERROR(single_integer(connection,
                                   std::string("COPY (SELECT line::BIGINT AS line, column_name, error_type::VARCHAR AS "
                                               "error_type, error_message, csv_line AS raw_line FROM ") +
                                       kRejectErrors + " ORDER BY line, column_idx) TO " +
                                       quote_literal(target.rejects.string()) + " " + kParquetOptions)
                             .status());
    out.wrote_rejects = true;
  }
  return out;
}

Result<ImportResult> import_jsonl(engine::Connection& connection, const fs::path& input, const ImportOptions& o,
                                  const ImportTarget& target) {
  std::string columns;
  for (const Field& f : rejects_schema()) columns += (columns.empty() ? "" : ", ") + f.name + " " + f.type;
  MAAS_RETURN_IF_ERROR(connection.execute(std::string("CREATE TEMP TABLE ") + kJsonRejects + " (" + columns + ")"));
  JsonlScan scan;
  {
    MAAS_ASSIGN_OR_RETURN(engine::Appender rejects, connection.appender(kJsonRejects));
    MAAS_ASSIGN_OR_RETURN(scan, scan_jsonl(input, o.max_line_bytes, [&](const RejectedLine& r) {
      std::vector<engine::Value> row = {r.line, std::monostate{}, std::string("JSON"), r.reason, r.text};
      return rejects.append_row(row);
    }));
    MAAS_RETURN_IF_ERROR(rejects.close());
  }
  ImportResult out;
  out.rejected_rows = scan.rejected;
  int64_t accepted = scan.lines - scan.rejected;
  MAAS_RETURN_IF_ERROR(check_rejected(out.rejected_rows, accepted, o, connection, kJsonRejects));
  if (accepted == 0) {
    return invalid_argument(scan.lines == 0 ? "the file holds no records" : "no line of the file is a JSON object");
  }
  fs::path source = input;
  if (scan.rejected > 0) {
    source = target.scratch;
    MAAS_RETURN_IF_ERROR(scan_jsonl(input, o.max_line_bytes, [](const RejectedLine&) { return Status(); }, source)
                             .status());
  }
  auto rows = single_integer(connection, "COPY (" + select_with_casts(json_reader(source, o), o) + ") TO " +
                                        quote_literal(target.snapshot.string()) + " " + kParquetOptions);
  if (source != input) {
    std::error_code ec;
    fs::remove(source, ec);
  }
  MAAS_ASSIGN_OR_RETURN(out.rows, std::move(rows));
  if (out.rejected_rows > 0) {
    MAAS_RETURN_IF_ERROR(single_integer(connection, std::string("COPY (SELECT * FROM ") + kJsonRejects + " ORDER BY line) TO " +
                                                   quote_literal(target.rejects.string()) + " " + kParquetOptions)
                             .status());
    out.wrote_rejects = true;
  }
  return out;
}

Result<ImportResult> import_parquet(engine::Connection& connection, const fs::path& input, const ImportOptions& o,
                                    const ImportTarget& target) {
  ImportResult out;
  std::string reader = "read_parquet(" + quote_literal(input.string()) + ")";
  MAAS_ASSIGN_OR_RETURN(out.rows, single_integer(connection, "COPY (" + select_with_casts(reader, o) + ") TO " +
                                                            quote_literal(target.snapshot.string()) + " " +
                                                            kParquetOptions));
  return out;
}

}  // namespace

const Schema& rejects_schema() {
  static const Schema kSchema = {{"line", "BIGINT"},
                                 {"column_name", "VARCHAR"},
                                 {"error_type", "VARCHAR"},
                                 {"error_message", "VARCHAR"},
                                 {"raw_line", "VARCHAR"}};
  return kSchema;
}

Result<ImportResult> import_file(engine::Connection& connection, const fs::path& input, const ImportOptions& options,
                                 const ImportTarget& target) {
  MAAS_RETURN_IF_ERROR(options.validate());
  std::error_code ec;
  auto size = fs::file_size(input, ec);
  if (ec) return invalid_argument("cannot read " + input.string() + ": " + ec.message());
  if (size == 0) return invalid_argument("the file is empty");
  MAAS_RETURN_IF_ERROR(connection.execute(std::string("DROP TABLE IF EXISTS ") + kRejectErrors + "; DROP TABLE IF EXISTS " +
                                          kRejectScans + "; DROP TABLE IF EXISTS " + kJsonRejects));
  std::string what = "importing " + input.filename().string() + " as " + std::string(format_name(options.format));
  Result<ImportResult> result = internal_error("unreachable");
  switch (options.format) {
    case FileFormat::kCsv:
    case FileFormat::kTsv:
      result = import_csv(connection, input, options, target);
      break;
    case FileFormat::kJsonl:
      result = import_jsonl(connection, input, options, target);
      break;
    case FileFormat::kParquet:
      result = import_parquet(connection, input, options, target);
      break;
  }
  if (!result.ok()) return Status(result.status().code(), what + ": " + result.status().message());
  MAAS_ASSIGN_OR_RETURN(result->schema, describe(connection, parquet_relation(target.snapshot.string())));
  if (result->schema.empty()) return invalid_argument(what + ": the file has no columns");
  // DuckDB's CSV reader ignores type overrides of absent columns when it stores rejects; a typo must not pass.
  for (const auto& [column, type] : options.column_types) {
    bool found = false;
    for (const auto& field : result->schema) found |= field.name == column;
    if (!found) {
      std::string names;
      for (const auto& field : result->schema) names += (names.empty() ? "" : ", ") + field.name;
      return invalid_argument(what + ": column_types names '" + column + "', which the file does not have; its " +
                              "columns are: " + names);
    }
  }
  return result;
}

}  // namespace maas::data
