// Import: a CSV, TSV, JSON Lines or Parquet file becomes a Parquet snapshot (zstd) and its schema, streamed through
// DuckDB with the memory limit of the connection's database (it spills; it never holds the file). Rows that cannot
// be read (malformed lines, values that do not convert to the column's type, lines over max_line_bytes) are
// rejected, counted and written with their line number, reason and raw text to a second Parquet file: never lost.
//
// Thread-safety: uses the connection it is given (one thread at a time). The database must allow reading `input`
// and writing the target paths (see engine::FileAccess).
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/status.h"
#include "data/datasets/import_options.h"
#include "data/datasets/schema.h"
#include "data/engine/connection.h"

namespace maas::data {

// COPY … TO options of every snapshot and rejects file the datasets write. zstd level 1 rather than DuckDB's default
// 3: a 2M-row snapshot wrote about 20% faster for 0.25% more bytes, and every upload, clean and split writes one.
inline constexpr const char* kSnapshotParquetOptions = "(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1)";

struct ImportTarget {
  std::filesystem::path snapshot;  // the Parquet file to write
  std::filesystem::path rejects;   // written only when rows were rejected
  std::filesystem::path scratch;   // a file the import may write and delete (JSON Lines without its rejected lines)
};

struct ImportResult {
  int64_t rows = 0;
  int64_t rejected_rows = 0;
  bool wrote_rejects = false;
  Schema schema;
};

// The rejects file's columns: line BIGINT (1-based line of the input), column_name VARCHAR (when one column was at
// fault), error_type VARCHAR, error_message VARCHAR, raw_line VARCHAR (the input line, cut at 10 000 bytes for CSV
// and 64 KiB for JSON Lines).
const Schema& rejects_schema();

Result<ImportResult> import_file(engine::Connection& connection, const std::filesystem::path& input,
                                 const ImportOptions& options, const ImportTarget& target);

}  // namespace maas::data
