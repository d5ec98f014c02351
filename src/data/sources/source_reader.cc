#include "data/sources/source_reader.h"

#include <cctype>

#include "data/engine/sql_text.h"

namespace maas::data::sources {
namespace {

// "schema.table" -> "schema"."table"; each part quoted so any name reads literally.
std::string quote_table(const std::string& table) {
  std::string out;
  size_t start = 0;
  for (;;) {
    size_t dot = table.find('.', start);
    out += engine::quote_identifier(table.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    out += '.';
    start = dot + 1;
  }
  return out;
}

}  // namespace

std::string source_select(const Source& source, bool incremental, const std::string& param) {
  const nlohmann::json& c = source.config;
  std::string base = c.contains("table") ? "SELECT * FROM " + quote_table(c["table"].get<std::string>())
                                         : c["query"].get<std::string>();
  // A trailing ';' would end the subquery early.
  while (!base.empty() && (base.back() == ';' || std::isspace(static_cast<unsigned char>(base.back()))))
    base.pop_back();
  std::string sql = "SELECT * FROM (" + base + "\n) AS maas_source";
  const std::string column = watermark_column(source);
  if (!column.empty()) {
    if (incremental) sql += " WHERE " + engine::quote_identifier(column) + " > " + param;
    sql += " ORDER BY " + engine::quote_identifier(column);
  }
  return sql;
}

std::filesystem::path push_rows_path(const std::filesystem::path& data_dir, const std::string& name) {
  return data_dir / "sources" / "push" / (name + ".jsonl");
}

Result<ReadOutcome> read_source(const ReadRequest& request) {
  const std::string& kind = request.source->kind;
  if (kind == "sqlite") return read_sqlite(request);
  if (kind == "postgres") return read_postgres(request);
  if (kind == "files") return read_files(request);
  if (kind == "push" || kind == "tail") return read_appended(request);
  if (kind == "logs") return read_logs_file(request);
  return invalid_argument("a " + kind + " source is not snapshotted by a job");
}

}  // namespace maas::data::sources
