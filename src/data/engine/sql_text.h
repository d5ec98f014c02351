// Quoting values and names into DuckDB SQL text, for the statements the data layer builds itself (file paths, column
// names from a file's header). Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace maas::data::engine {

// 'it''s': a string literal. NUL bytes cannot occur in SQL text and are dropped.
std::string quote_literal(std::string_view text);
// "my ""col""": an identifier, so any column name (spaces, quotes, keywords) is read literally.
std::string quote_identifier(std::string_view name);

}  // namespace maas::data::engine
