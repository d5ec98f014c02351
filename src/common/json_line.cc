#include "common/json_line.h"

#include <charconv>
#include <cmath>

namespace maas {
namespace {

// The length of the valid UTF-8 sequence at text[i], or 0 when the bytes there are not one (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF).
size_t utf8_sequence(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  auto cont = [&](size_t k) { return k < text.size() && (byte(k) & 0xc0) == 0x80; };
  unsigned char c = byte(i);
  if (c >= 0xc2 && c <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    if (c == 0xe0 && byte(i + 1) < 0xa0) return 0;   // overlong
    if (c == 0xed && byte(i + 1) >= 0xa0) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    if (c == 0xf0 && byte(i + 1) < 0x90) return 0;  // overlong
    if (c == 0xf4 && byte(i + 1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

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
