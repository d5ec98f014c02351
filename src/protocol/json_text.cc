// JSON strings (common/json_line.h's escaping), UTF-8 validation and shape text.
#include "protocol/json_text.h"

#include <simdjson.h>

#include <charconv>

#include "common/json_line.h"

namespace maas::protocol {
namespace {

constexpr size_t kMaxQuotedName = 128;

}  // namespace

void append_json_string(std::string& out, std::string_view text) { append_json_quoted(out, text); }

bool is_valid_utf8(std::string_view text) { return simdjson::validate_utf8(text.data(), text.size()); }

void append_shape(std::string& out, std::span<const int64_t> shape) {
  out.push_back('[');
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) out.push_back(',');
    char buffer[24];
    auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), shape[i]);
    (void)error;  // 24 characters hold any int64
    out.append(buffer, end);
  }
  out.push_back(']');
}

std::string shape_text(std::span<const int64_t> shape) {
  std::string text;
  append_shape(text, shape);
  return text;
}

std::string quoted_name(std::string_view name) {
  if (name.size() <= kMaxQuotedName) return "'" + std::string(name) + "'";
  // Cut on a character boundary: messages end up in JSON, which must stay valid UTF-8.
  size_t cut = kMaxQuotedName;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xc0) == 0x80) --cut;
  return "'" + std::string(name.substr(0, cut)) + "...'";
}

}  // namespace maas::protocol
