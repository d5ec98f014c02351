// Tables as JSON: {"columns": [{"name", "type": "number"|"integer"|"text", "values": [...]}]}, null for a missing
// value. Strict: a wrong type is INVALID_ARGUMENT naming the column and row. Pure functions; no threading.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "features/table.h"

namespace maas::features {

Result<Table> table_from_json(const nlohmann::json& j);
// NaN and missing text are null; a column of whole numbers read as "integer" is written as "integer" again.
nlohmann::json table_to_json(const Table& table);

}  // namespace maas::features
