#include "data/datasets/export.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "common/json_line.h"
#include "data/datasets/schema.h"

namespace maas::data {

Result<ExportFormat> parse_export_format(std::string_view name) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "jsonl") return ExportFormat::kJsonl;
  return invalid_argument("export format must be parquet, csv or jsonl, got '" + std::string(name) + "'");
}

Result<ExportCursor> ExportCursor::open(engine::Connection& connection, const std::string& relation,
                                        const ExportOptions& options) {
  MAAS_ASSIGN_OR_RETURN(Schema schema, describe(connection, relation));
  MAAS_ASSIGN_OR_RETURN(RowEncoder encoder, RowEncoder::make(schema, options.columns));
  MAAS_ASSIGN_OR_RETURN(auto result, connection.query(encoder.select_sql(relation)));
  ExportCursor cursor(std::move(encoder), std::move(result), options);
  const Schema& fields = cursor.encoder_.fields();
  if (options.format == ExportFormat::kCsv) {
    for (size_t c = 0; c < fields.size(); ++c) {
      if (c > 0) cursor.header_ += options.delimiter;
      append_csv_field(cursor.header_, fields[c].name, options.delimiter);
    }
    cursor.header_ += '\n';
  } else {
    for (const auto& f : fields) {
      std::string key;
      append_json_quoted(key, f.name);
      cursor.keys_.push_back(key + ":");
    }
  }
  return cursor;
}

Result<std::string> ExportCursor::next() {
  std::string text;
  if (!started_) {
    started_ = true;
    text = std::move(header_);
  }
  // Empty chunks are skipped: an empty piece means the end.
  while (text.empty() && !done_) {
    MAAS_ASSIGN_OR_RETURN(auto chunk, result_.next_chunk());
    if (!chunk) {
      done_ = true;
      break;
    }
    append_rows(text, *chunk);
    rows_ += static_cast<int64_t>(chunk->rows);
  }
  return text;
}

void ExportCursor::append_rows(std::string& text, const engine::Chunk& chunk) const {
  const size_t columns = encoder_.fields().size();
  for (size_t r = 0; r < chunk.rows; ++r) {
    if (options_.format == ExportFormat::kCsv) {
      for (size_t c = 0; c < columns; ++c) {
        if (c > 0) text += options_.delimiter;
        encoder_.append_csv_cell(text, chunk, r, c, options_.delimiter);
      }
    } else {
      text += '{';
      for (size_t c = 0; c < columns; ++c) {
        if (c > 0) text += ',';
        text += keys_[c];
        text += encoder_.json_cell(chunk, r, c).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
      text += '}';
    }
    text += '\n';
  }
}

Result<int64_t> export_rows(engine::Connection& connection, const std::string& relation, const ExportOptions& options,
                            const ExportSink& sink) {
  MAAS_ASSIGN_OR_RETURN(ExportCursor cursor, ExportCursor::open(connection, relation, options));
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(std::string piece, cursor.next());
    if (piece.empty()) break;
    MAAS_RETURN_IF_ERROR(sink(piece));
  }
  return cursor.rows();
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
