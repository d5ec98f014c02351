// Typed columns of extraction rules: the cast types (string, int, float, bool, timestamp with a strftime-style
// format) and the conversion of one extracted text value into its typed JSON value, or a reason it does not fit.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas::data::rules {

enum class CastType { kString, kInt, kFloat, kBool, kTimestamp };

// "string", "int" (or int64, integer, bigint), "float" (float64, double), "bool" (boolean), "timestamp".
Result<CastType> cast_type_from_name(std::string_view name);
std::string cast_type_name(CastType type);
// The DuckDB type a column of `type` is stored as (VARCHAR, BIGINT, DOUBLE, BOOLEAN, TIMESTAMP).
std::string duckdb_type(CastType type);

// INVALID_ARGUMENT naming the first directive a timestamp format does not support. Supported: %Y %y %m %d %e %H %I
// %p %M %S %f (fraction, 1-9 digits) %z (Z, +hh, +hhmm, +hh:mm) %b %h %B (month names) %a %A (weekday names,
// skipped) %j (day of year) %s (epoch seconds) %T (%H:%M:%S) %F (%Y-%m-%d) %%; a space matches any run of
// whitespace; any other character matches itself.
Status check_timestamp_format(std::string_view format);

// `text` as `type`: a JSON number, boolean, string, or for timestamps "YYYY-MM-DD HH:MM:SS.ffffff" (UTC when the
// format has %z; without a format, ISO 8601 dates and times are read). The error says why it does not fit.
Result<nlohmann::json> cast_value(std::string_view text, CastType type, std::string_view format);

}  // namespace maas::data::rules
