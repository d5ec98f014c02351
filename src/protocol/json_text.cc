// JSON string escaping (RFC 8259: quote, backslash and control characters) and shape text.
#include "protocol/json_text.h"

#include <simdjson.h>

#include <charconv>

namespace maas::protocol {
namespace {

constexpr size_t kMaxQuotedName = 128;

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t clean_from = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    // Runs of characters that need no escape are appended at once.
    out.append(text.substr(clean_from, i - clean_from));
    clean_from = i + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
  }
  out.append(text.substr(clean_from));
  out.push_back('"');
}

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
