// JSON values to DuckDB SQL literals of a column's type, and one SQL value back to JSON: the bridge between a recipe's
// operands and reports and the SQL the steps run. Pure functions, except scalar_json (one query on the connection).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "data/engine/connection.h"

namespace maas::data::prep {

// A number, string or boolean as SQL of `type` (a string for a DATE column becomes CAST('...' AS DATE)).
std::string literal_sql(const nlohmann::json& value, const std::string& type);

// The single value `sql` yields as JSON (null when it yields no row or NULL); a value of a type outside numbers,
// booleans and text is read as text.
Result<nlohmann::json> scalar_json(engine::Connection& c, const std::string& sql, const std::string& type);

}  // namespace maas::data::prep
