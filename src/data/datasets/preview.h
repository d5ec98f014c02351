// Previews: a page of a table's rows (offset, limit, a subset of columns) as JSON, for people looking at a dataset
// version. Thread-safety: uses the connection it is given (one thread at a time).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "data/datasets/schema.h"
#include "data/engine/connection.h"

namespace maas::data {

struct PreviewOptions {
  int64_t offset = 0;
  int64_t limit = 100;
  std::vector<std::string> columns;  // empty: all
  // The largest page a caller may ask for (the API's setting).
  int64_t max_limit = 10000;
};

struct Preview {
  Schema columns;
  int64_t total_rows = 0;
  nlohmann::json rows = nlohmann::json::array();  // one array of cells per row, in `columns` order
};

// INVALID_ARGUMENT for a negative offset or a limit outside [1, max_limit].
Status check_preview_options(const PreviewOptions& options);

// Rows [offset, offset + limit) in the table's order. Cells as RowEncoder::json_cell writes them.
Result<Preview> preview(engine::Connection& connection, const std::string& relation, const PreviewOptions& options);

// {"columns": [{"name", "type"}], "total_rows", "offset", "rows": [[...], ...]}
nlohmann::json preview_to_json(const Preview& preview, int64_t offset);

}  // namespace maas::data
