#include "common/json_line.h"

#include <charconv>
#include <cmath>

#include "common/utf8.h"

namespace maas {

void append_json_quoted(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t i = 0;
  while (i < text.size()) {
    // Runs of plain ASCII are copied at once.
    size_t run = i;
    while (run < text.size()) {
      auto c = static_cast<unsigned char>(text[run]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++run;
    }
    out.append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) break;
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t n = utf8_sequence(text, i);
      if (n == 0) {
        out.append("\xef\xbf\xbd");  // U+FFFD for one invalid byte
        ++i;
      } else {
        out.append(text.data() + i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
    ++i;
  }
  out.push_back('"');
}

void JsonLine::key(std::string_view name) {
  if (out_.size() > 1) out_.push_back(',');
  append_json_quoted(out_, name);
  out_.push_back(':');
}

JsonLine& JsonLine::field(std::string_view name, std::string_view value) {
  key(name);
  append_json_quoted(out_, value);
  return *this;
}

JsonLine& JsonLine::field(std::string_view name, int64_t value) {
  key(name);
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  (void)ec;  // 24 characters hold any int64
  out_.append(buf, end);
  return *this;
}

JsonLine& JsonLine::field(std::string_view name, uint64_t value) {
  key(name);
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  (void)ec;
  out_.append(buf, end);
  return *this;
}

JsonLine& JsonLine::field(std::string_view name, double value) {
  key(name);
  if (!std::isfinite(value)) {
    out_.append("null");
    return *this;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);  // shortest round-trip form
  (void)ec;  // 32 characters hold any double's shortest form
  out_.append(buf, end);
  return *this;
}

std::string JsonLine::take() {
  out_.push_back('}');
  return std::move(out_);
}

}  // namespace maas
