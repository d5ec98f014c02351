// What the preparation steps share in SQL: JSON values to DuckDB literals of a column's type and one SQL value back to
// JSON (a recipe's operands and reports), and loading a snapshot with each row's position. literal_sql is pure; the
// others run on the connection they are given (one thread at a time).
#pragma once

#include <filesystem>
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

// The column carrying each row's position in the input file (0-based) through a preparation.
inline constexpr const char* kRowPosition = "__maas_row";

// Creates temp table `table` with the Parquet file's rows and their positions in kRowPosition. A column of the file
// named kRowPosition or file_row_number is refused (INVALID_ARGUMENT).
Status load_with_row_positions(engine::Connection& c, const std::string& table, const std::filesystem::path& input);

}  // namespace maas::data::prep
