// Exports: a table's rows as CSV (with a header) or JSON Lines, streamed chunk by chunk (2048 rows) into a sink or
// pulled piece by piece from a cursor, so memory stays bounded whatever the size. A Parquet export is the snapshot
// blob itself and needs none of this.
// Thread-safety: uses the connection it is given (one thread at a time).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "data/datasets/row_encoder.h"
#include "data/engine/connection.h"

namespace maas::data {

enum class ExportFormat { kCsv, kJsonl };

Result<ExportFormat> parse_export_format(std::string_view name);

struct ExportOptions {
  ExportFormat format = ExportFormat::kCsv;
  std::vector<std::string> columns;  // empty: all
  char delimiter = ',';              // CSV
};

// Receives the export's text in pieces (each ends at a row boundary). An error stops the export.
using ExportSink = std::function<Status(std::string_view)>;

// An export read piece by piece: each next() encodes one chunk of rows (2048 at most; the CSV header comes first).
// For a caller that hands each piece to someone else before asking for the next (an HTTP response, written while
// no thread waits). Uses the connection it was opened on, which must outlive it and run nothing else meanwhile;
// one thread at a time.
class ExportCursor {
 public:
  static Result<ExportCursor> open(engine::Connection& connection, const std::string& relation,
                                   const ExportOptions& options);

  // The next piece of text, ending at a row boundary; an empty string once every row has been given.
  Result<std::string> next();
  int64_t rows() const { return rows_; }

 private:
  ExportCursor(RowEncoder encoder, engine::QueryResult result, ExportOptions options)
      : encoder_(std::move(encoder)), result_(std::move(result)), options_(std::move(options)) {}
  void append_rows(std::string& text, const engine::Chunk& chunk) const;

  RowEncoder encoder_;
  engine::QueryResult result_;
  ExportOptions options_;
  std::vector<std::string> keys_;  // JSON Lines: each column's name, quoted, with its colon
  std::string header_;             // CSV: given by the first next()
  bool started_ = false;
  bool done_ = false;
  int64_t rows_ = 0;
};

// Returns the number of rows written.
Result<int64_t> export_rows(engine::Connection& connection, const std::string& relation, const ExportOptions& options,
                            const ExportSink& sink);
// export_rows into a file (created or truncated).
Result<int64_t> export_to_file(engine::Connection& connection, const std::string& relation,
                               const ExportOptions& options, const std::filesystem::path& path);

}  // namespace maas::data
