// The files kind: the files a path or glob under sources.file_roots names now, read by DuckDB (CSV, TSV, JSON Lines,
// Parquet; columns united by name) in a database that may read those files and write only the output directory.
#include <cctype>

#include "data/engine/connection.h"
#include "data/engine/database.h"
#include "data/engine/sql_text.h"
#include "data/sources/source_reader.h"

namespace maas::data::sources {
namespace {

using nlohmann::json;

constexpr const char* kRejectErrors = "maas_reject_errors";
constexpr const char* kRejectScans = "maas_reject_scans";

// The CSV lines the read rejected, into `rejects` (import.h's rejects_schema(); the message starts with the file's
// name, the line number being the file's own): how many lines.
Result<int64_t> write_rejects(engine::Connection& connection, const std::filesystem::path& rejects) {
  MAAS_ASSIGN_OR_RETURN(auto counted, connection.query(std::string("SELECT count(*)::BIGINT FROM (SELECT DISTINCT "
                                                                   "scan_id, file_id, line FROM ") +
                                                       kRejectErrors + ")"));
  MAAS_ASSIGN_OR_RETURN(engine::Chunk count, counted.fetch_all());
  const int64_t rejected = count.rows > 0 ? count.columns[0].ints[0] : 0;
  if (rejected == 0) return rejected;
  MAAS_RETURN_IF_ERROR(connection.execute(
      std::string("COPY (SELECT e.line::BIGINT AS line, e.column_name, e.error_type::VARCHAR AS error_type, "
                  "parse_filename(s.file_path) || ': ' || e.error_message AS error_message, e.csv_line AS raw_line "
                  "FROM ") +
      kRejectErrors + " e JOIN " + kRejectScans +
      " s USING (scan_id, file_id) ORDER BY s.file_path, e.line, e.column_idx) TO " +
      engine::quote_literal(rejects.string()) + " (FORMAT parquet, COMPRESSION zstd)"));
  return rejected;
}

Result<std::string> format_of(const Source& source, const std::filesystem::path& first) {
  if (source.config.contains("format")) return source.config["format"].get<std::string>();
  std::string ext = first.extension().string();
  for (auto& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (ext == ".csv") return std::string("csv");
  if (ext == ".tsv" || ext == ".tab") return std::string("tsv");
  if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") return std::string("jsonl");
  if (ext == ".parquet") return std::string("parquet");
  return invalid_argument("cannot tell the format of '" + first.filename().string() +
                          "' from its extension: set config.format (csv, tsv, jsonl, parquet)");
}

std::string relation(const std::string& format, const std::vector<std::filesystem::path>& files) {
  if (format == "csv" || format == "tsv") {
    // CSV lines DuckDB cannot read (a wrong column count, a value that does not convert) go to its rejects tables, as
    // an upload's do, rather than failing the snapshot. DuckDB stores rejects only without union_by_name, so each
    // file is its own scan and the scans are united by column name.
    std::string united;
    for (const auto& f : files) {
      united += std::string(united.empty() ? "" : " UNION ALL BY NAME ") + "SELECT * FROM read_csv(" +
                engine::quote_literal(f.string()) + (format == "tsv" ? ", delim = '\t'" : "") +
                ", store_rejects = true, rejects_table = '" + kRejectErrors + "', rejects_scan = '" + kRejectScans +
                "')";
    }
    return "(" + united + ")";
  }
  std::string list = "[";
  for (const auto& f : files) list += (list.size() > 1 ? ", " : "") + engine::quote_literal(f.string());
  list += "]";
  if (format == "jsonl") return "read_json(" + list + ", format = 'newline_delimited', union_by_name = true)";
  return "read_parquet(" + list + ", union_by_name = true)";
}

std::string literal(const json& value) {
  return value.is_string() ? engine::quote_literal(value.get<std::string>()) : value.dump();
}

// The watermark as JSON: a number for numeric columns, else the value's text (which DuckDB casts back).
json watermark_value(const std::string& text, const std::string& type) {
  constexpr const char* kIntegers[] = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"};
  for (const char* t : kIntegers) {
    if (type == t) return std::stoll(text);
  }
  if (type == "DOUBLE" || type == "FLOAT" || type.starts_with("DECIMAL")) {
    json number = json::parse(text, nullptr, false);
    if (number.is_number()) return number;
  }
  return text;
}

}  // namespace

Result<ReadOutcome> read_files(const ReadRequest& request) {
  const Source& source = *request.source;
  MAAS_ASSIGN_OR_RETURN(auto files, expand_files(source.config["path"].get<std::string>(), request.roots));
  MAAS_ASSIGN_OR_RETURN(std::string format, format_of(source, files.front()));
  const std::filesystem::path out = request.out_dir / "rows.parquet";
  const std::filesystem::path spill = request.out_dir / "spill";
  std::error_code ec;
  std::filesystem::create_directories(spill, ec);
  engine::EngineOptions options;
  options.memory_limit_bytes = request.memory_limit_bytes;
  options.threads = request.threads;
  options.temp_directory = spill;
  options.file_access = engine::FileAccess{files, {request.out_dir}};
  MAAS_ASSIGN_OR_RETURN(auto database, engine::Database::open(options));
  MAAS_ASSIGN_OR_RETURN(engine::Connection connection, database->connect());
  const std::string column = watermark_column(source);
  std::string select = "SELECT * FROM " + relation(format, files);
  if (!column.empty()) {
    if (!request.since.is_null())
      select += " WHERE " + engine::quote_identifier(column) + " > " + literal(request.since);
    select += " ORDER BY " + engine::quote_identifier(column);
  }
  Status copied = connection.execute("COPY (" + select + ") TO " + engine::quote_literal(out.string()) +
                                     " (FORMAT parquet, COMPRESSION zstd)");
  if (!copied.ok()) return invalid_argument("reading the source's files failed: " + copied.message());
  const std::string max = column.empty() ? "NULL" : "max(" + engine::quote_identifier(column) + ")";
  MAAS_ASSIGN_OR_RETURN(auto result,
                        connection.query("SELECT count(*)::BIGINT, CAST(" + max + " AS VARCHAR), typeof(" + max +
                                         ") FROM read_parquet(" + engine::quote_literal(out.string()) + ")"));
  MAAS_ASSIGN_OR_RETURN(engine::Chunk chunk, result.fetch_all());
  ReadOutcome outcome;
  outcome.format = "parquet";
  outcome.rows = chunk.rows > 0 ? chunk.columns[0].ints[0] : 0;
  if (outcome.rows > 0) outcome.file = out;
  if (outcome.rows > 0 && !column.empty() && !chunk.columns[1].is_null(0)) {
    outcome.watermark = watermark_value(chunk.columns[1].strings[0], chunk.columns[2].strings[0]);
  }
  if (format == "csv" || format == "tsv") {
    const std::filesystem::path rejects = request.out_dir / "rejects.parquet";
    MAAS_ASSIGN_OR_RETURN(outcome.rejected_rows, write_rejects(connection, rejects));
    if (outcome.rejected_rows > 0) outcome.rejects_file = rejects;
  }
  request.progress(outcome.rows);
  return outcome;
}

}  // namespace maas::data::sources
