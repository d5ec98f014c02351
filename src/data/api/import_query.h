// An upload's import options and version metadata, read from its query parameters (the body is the file itself).
// Pure functions.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "data/datasets/dataset_registry.h"

namespace maas::data::api {

// Reads format, delimiter, header, quote, escape, null_string, column_type (repeated, "name:TYPE"), date_format,
// timestamp_format, max_line_bytes, sample_rows, max_rejected_rows (the import options of docs/DATA.md), and
// filename (the lineage's source, "upload:<filename>"), description and tag (repeated, "key:value"). Without
// `format`, the format comes from the Content-Type (text/csv, text/tab-separated-values, application/x-ndjson,
// application/vnd.apache.parquet), else from the filename's extension. INVALID_ARGUMENT naming the parameter for
// one that is unknown, repeated or malformed.
Result<ImportRequest> import_request_from_query(const std::vector<std::pair<std::string, std::string>>& query,
                                                const std::optional<std::string>& content_type);

}  // namespace maas::data::api
