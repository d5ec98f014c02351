// Small pieces of JSON and message text shared by the writers and the parser: escaped strings and shapes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace maas::protocol {

// Appends `text` as a quoted JSON string (common/json_line.h's escaping). Callers check is_valid_utf8 first
// where invalid UTF-8 must be an error rather than U+FFFD.
void append_json_string(std::string& out, std::string_view text);

bool is_valid_utf8(std::string_view text);

// "[2,3]": a shape as JSON, and as error messages show it.
void append_shape(std::string& out, std::span<const int64_t> shape);
std::string shape_text(std::span<const int64_t> shape);

// "'x'": a name quoted for an error message. Names come from clients, so a long one is cut short.
std::string quoted_name(std::string_view name);

}  // namespace maas::protocol
