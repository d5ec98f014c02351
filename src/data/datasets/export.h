// Exports: a table's rows as CSV (with a header) or JSON Lines, streamed chunk by chunk (2048 rows) into a sink, so
// memory stays bounded whatever the size. A Parquet export is the snapshot blob itself and needs none of this.
// Thread-safety: uses the connection it is given (one thread at a time).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
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

// Returns the number of rows written.
Result<int64_t> export_rows(engine::Connection& connection, const std::string& relation, const ExportOptions& options,
                            const ExportSink& sink);
// export_rows into a file (created or truncated).
Result<int64_t> export_to_file(engine::Connection& connection, const std::string& relation,
                               const ExportOptions& options, const std::filesystem::path& path);

}  // namespace maas::data
