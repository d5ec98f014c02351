#include "data/datasets/export.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "common/json_line.h"
#include "data/datasets/row_encoder.h"
#include "data/datasets/schema.h"

namespace maas::data {

Result<ExportFormat> parse_export_format(std::string_view name) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "jsonl") return ExportFormat::kJsonl;
  return invalid_argument("export format must be parquet, csv or jsonl, got '" + std::string(name) + "'");
}

Result<int64_t> export_rows(engine::Connection& connection, const std::string& relation, const ExportOptions& options,
                            const ExportSink& sink) {
  MAAS_ASSIGN_OR_RETURN(Schema schema, describe(connection, relation));
  MAAS_ASSIGN_OR_RETURN(RowEncoder encoder, RowEncoder::make(schema, options.columns));
  const Schema& fields = encoder.fields();
  // JSON Lines keys, quoted once.
  std::vector<std::string> keys;
  std::string text;
  if (options.format == ExportFormat::kCsv) {
    for (size_t c = 0; c < fields.size(); ++c) {
      if (c > 0) text += options.delimiter;
      append_csv_field(text, fields[c].name, options.delimiter);
    }
    text += '\n';
  } else {
    for (const auto& f : fields) {
      std::string key;
      append_json_quoted(key, f.name);
      keys.push_back(key + ":");
    }
  }
  MAAS_ASSIGN_OR_RETURN(auto result, connection.query(encoder.select_sql(relation)));
  int64_t rows = 0;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(auto chunk, result.next_chunk());
    if (!chunk) break;
    for (size_t r = 0; r < chunk->rows; ++r) {
      if (options.format == ExportFormat::kCsv) {
        for (size_t c = 0; c < fields.size(); ++c) {
          if (c > 0) text += options.delimiter;
          encoder.append_csv_cell(text, *chunk, r, c, options.delimiter);
        }
      } else {
        text += '{';
        for (size_t c = 0; c < fields.size(); ++c) {
          if (c > 0) text += ',';
          text += keys[c];
          text += encoder.json_cell(*chunk, r, c).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
        text += '}';
      }
      text += '\n';
    }
    rows += static_cast<int64_t>(chunk->rows);
    MAAS_RETURN_IF_ERROR(sink(text));
    text.clear();
  }
  if (!text.empty()) MAAS_RETURN_IF_ERROR(sink(text));  // a CSV header with no rows
  return rows;
}

Result<int64_t> export_to_file(engine::Connection& connection, const std::string& relation,
                               const ExportOptions& options, const std::filesystem::path& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!file) return invalid_argument("cannot create " + path.string() + ": " + std::strerror(errno));
  MAAS_ASSIGN_OR_RETURN(int64_t rows, export_rows(connection, relation, options, [&](std::string_view piece) -> Status {
    if (std::fwrite(piece.data(), 1, piece.size(), file.get()) != piece.size()) {
      return internal_error("cannot write " + path.string() + ": " + std::strerror(errno));
    }
    return {};
  }));
  if (std::fflush(file.get()) != 0) return internal_error("cannot write " + path.string() + ": " + std::strerror(errno));
  return rows;
}

}  // namespace maas::data
