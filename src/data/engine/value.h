// A scalar passed into DuckDB: a bound parameter of a prepared statement or a value given to the appender.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace maas::data::engine {

// std::monostate is SQL NULL.
using Value = std::variant<std::monostate, bool, int64_t, double, std::string>;

}  // namespace maas::data::engine
