// What an import reads: the file's format and how to parse it. Plain data with a validator and a JSON reader (the
// shape the API and the maas-data tool accept).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::data {

enum class FileFormat { kCsv, kTsv, kJsonl, kParquet };

// "csv", "tsv", "jsonl", "parquet"
std::string_view format_name(FileFormat format);
Result<FileFormat> parse_format(std::string_view name);
// From the file name's extension (.csv, .tsv/.tab, .jsonl/.ndjson/.json, .parquet/.pq); INVALID_ARGUMENT otherwise.
Result<FileFormat> format_from_path(const std::filesystem::path& path);

struct ImportOptions {
  FileFormat format = FileFormat::kCsv;
  // CSV/TSV: unset fields are detected by DuckDB's sniffer from a sample of the file.
  std::optional<std::string> delimiter;  // 1 to 4 bytes; TSV defaults to a tab
  std::optional<bool> header;
  std::optional<std::string> quote;
  std::optional<std::string> escape;
  std::optional<std::string> null_string;  // the text that means NULL (e.g. "NA")
  // Column name -> DuckDB type (BIGINT, DOUBLE, DATE, VARCHAR, DECIMAL(12,2), ...): overrides detection. In CSV/TSV a
  // value that does not convert rejects its row; in JSONL and Parquet it fails the import.
  std::map<std::string, std::string> column_types;
  // strptime formats (e.g. %d/%m/%Y) for DATE and TIMESTAMP columns (CSV, TSV, JSONL).
  std::string date_format;
  std::string timestamp_format;
  // A longer line is rejected (CSV/TSV/JSONL); also bounds the memory one line can take.
  uint64_t max_line_bytes = uint64_t{2} << 20;
  // Rows read to detect the dialect and types.
  int64_t sample_rows = 20480;
  // More rejected rows than this fails the import (0: no limit). Rejected rows are always kept and counted.
  int64_t max_rejected_rows = 0;

  Status validate() const;
};

// Reads {"format", "delimiter", "header", "quote", "escape", "null_string", "column_types", "date_format",
// "timestamp_format", "max_line_bytes", "sample_rows", "max_rejected_rows"}; every field optional but format, which
// defaults to `default_format`. Strict: unknown fields and wrong types are INVALID_ARGUMENT.
Result<ImportOptions> import_options_from_json(const nlohmann::json& j, FileFormat default_format);
nlohmann::json import_options_to_json(const ImportOptions& options);

}  // namespace maas::data
