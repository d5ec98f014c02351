#include "data/discovery/value_type.h"

#include <array>
#include <span>

namespace maas::data::discovery {
namespace {

// Timestamp formats, tried in order; a format's id is its index + 1. Those with a space only match a CSV field
// (a log token has none); the month and weekday names come last (match_date_format tries them on 3 letters).
constexpr std::array<std::string_view, 28> kDateFormats = {
    "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d-%H.%M.%S.%f",   "%Y-%m-%d",            "%Y/%m/%d",             "%Y.%m.%d",
    "%y/%m/%d",               "%m/%d/%Y",            "%d.%m.%Y",             "%m-%d",
    "%H:%M:%S.%f",            "%H:%M:%S,%f",         "%H:%M:%S",             "%H:%M",
    "%d/%b/%Y:%H:%M:%S",      "%Y%m%d-%H:%M:%S:%f",  "%Y-%m-%dT%H:%M:%S,%f", "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S",      "%Y/%m/%d %H:%M:%S",   "%m/%d/%Y %H:%M:%S",    "%m/%d/%Y %H:%M",
    "%d/%m/%Y",               "%d-%m-%Y",            "%b",                   "%a",
};
constexpr size_t kNameFormats = 2;  // "%b", "%a": the last ones

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kWeekdays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

bool read_name(std::string_view s, size_t& i, std::span<const std::string_view> names) {
  if (i + 3 > s.size()) return false;
  for (auto name : names) {
    if (s.substr(i, 3) == name) {
      i += 3;
      return true;
    }
  }
  return false;
}

// Reads exactly `n` digits at s[i..] into `value`.
bool read_digits(std::string_view s, size_t& i, int n, int& value) {
  if (i + n > s.size()) return false;
  value = 0;
  for (int k = 0; k < n; ++k) {
    char c = s[i + k];
    if (!is_digit(c)) return false;
    value = value * 10 + (c - '0');
  }
  i += n;
  return true;
}

// Interprets a strftime-style format over `s`, checking each field's range.
bool matches_format(std::string_view s, std::string_view format) {
  size_t i = 0;
  for (size_t f = 0; f < format.size(); ++f) {
    if (format[f] != '%') {
      if (i >= s.size() || s[i] != format[f]) return false;
      ++i;
      continue;
    }
    char directive = format[++f];
    int v = 0;
    switch (directive) {
      case 'Y': if (!read_digits(s, i, 4, v)) return false; break;
      case 'y': if (!read_digits(s, i, 2, v)) return false; break;
      case 'm': if (!read_digits(s, i, 2, v) || v < 1 || v > 12) return false; break;
      case 'd': if (!read_digits(s, i, 2, v) || v < 1 || v > 31) return false; break;
      case 'H': if (!read_digits(s, i, 2, v) || v > 23) return false; break;
      case 'M': if (!read_digits(s, i, 2, v) || v > 59) return false; break;
      case 'S': if (!read_digits(s, i, 2, v) || v > 60) return false; break;
      case 'f': {
        size_t start = i;
        while (i < s.size() && is_digit(s[i]) && i - start < 9) ++i;
        if (i == start) return false;
        break;
      }
      case 'b': if (!read_name(s, i, kMonths)) return false; break;
      case 'a': if (!read_name(s, i, kWeekdays)) return false; break;
      case 'z': {
        if (i < s.size() && s[i] == 'Z') { ++i; break; }
        if (i >= s.size() || (s[i] != '+' && s[i] != '-')) return false;
        ++i;
        if (!read_digits(s, i, 2, v) || v > 23) return false;
        if (i < s.size() && s[i] == ':') ++i;
        if (!read_digits(s, i, 2, v) || v > 59) return false;
        break;
      }
      default: return false;
    }
  }
  return i == s.size();
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

bool is_ipv4(std::string_view s) {
  int groups = 0;
  size_t i = 0;
  while (groups < 4) {
    size_t start = i;
    while (i < s.size() && is_digit(s[i]) && i - start < 4) ++i;
    if (i == start || i - start > 3) return false;
    ++groups;
    if (groups < 4) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  return i == s.size();
}

bool is_ipv6(std::string_view s) {
  int colons = 0, group = 0;
  bool double_colon = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ':') {
      ++colons;
      if (i + 1 < s.size() && s[i + 1] == ':') double_colon = true;
      group = 0;
    } else if (is_hex_digit(c)) {
      if (++group > 4) return false;
    } else if (c == '.') {
      return false;
    } else {
      return false;
    }
  }
  return colons >= 2 && (double_colon || colons == 7);
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex_digit(s[i])) return false;
  }
  return true;
}

bool is_mac(std::string_view s) {
  if (s.size() != 17) return false;
  char sep = s[2];
  if (sep != ':' && sep != '-') return false;
  for (size_t i = 0; i < 17; ++i) {
    if (i % 3 == 2 ? s[i] != sep : !is_hex_digit(s[i])) return false;
  }
  return true;
}

bool is_float(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t int_start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == int_start || i >= s.size() || s[i] != '.') return false;
  size_t frac_start = ++i;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == frac_start) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == exp_start) return false;
  }
  return i == s.size();
}

bool is_url(std::string_view s) {
  size_t scheme = s.find("://");
  if (scheme == std::string_view::npos || scheme == 0 || scheme > 16 || scheme + 3 >= s.size()) return false;
  for (size_t i = 0; i < scheme; ++i)
    if (!is_alnum(s[i]) && s[i] != '+' && s[i] != '.' && s[i] != '-') return false;
  return is_alpha(s[0]);
}

bool is_path(std::string_view s) {
  bool has_letter = false;
  for (char c : s) has_letter = has_letter || is_alpha(c);
  if (!has_letter || s.size() < 2) return false;
  if (s[0] == '/') return s[1] != '/' || s.size() > 2;
  if (s.size() >= 3 && is_alpha(s[0]) && s[1] == ':' && s[2] == '\\') return true;
  return s.starts_with("./") || s.starts_with("../") || s.starts_with("~/");
}

bool is_email(std::string_view s) {
  size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0) return false;
  size_t dot = s.find('.', at);
  if (dot == std::string_view::npos || dot == at + 1 || dot + 1 >= s.size()) return false;
  for (size_t i = at + 1; i < s.size(); ++i)
    if (!is_alnum(s[i]) && s[i] != '.' && s[i] != '-') return false;
  return true;
}

bool is_hex(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    for (size_t i = 2; i < s.size(); ++i)
      if (!is_hex_digit(s[i])) return false;
    return true;
  }
  if (s.size() < 6) return false;
  bool digit = false, letter = false;
  for (char c : s) {
    if (!is_hex_digit(c)) return false;
    digit = digit || is_digit(c);
    letter = letter || !is_digit(c);
  }
  return digit && letter;
}

// "512MB", "10ms", "1.5 KB": a number, an optional space, a unit.
bool is_quantity(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  size_t start = i;
  while (i < s.size() && (is_digit(s[i]) || s[i] == '.')) ++i;
  if (i == start || !is_digit(s[start])) return false;
  if (i < s.size() && s[i] == ' ') ++i;
  return i < s.size() && is_unit(s.substr(i));
}

// "45:12", "123:04:05": a duration or a counter pair (not a time of day: those have a date format).
bool is_digit_groups(std::string_view s) {
  int groups = 0;
  for (size_t i = 0; i < s.size();) {
    size_t b = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == b || i - b > 3) return false;
    ++groups;
    if (i < s.size() && s[i++] != ':') return false;
    if (i == s.size() && s.back() == ':') return false;
  }
  return groups >= 2 && groups <= 4;
}

// Where a format's first separator is and what it is ("%Y-%m-%d": '-' at 4): a value without it there cannot
// have the format, which rules most formats out with one comparison.
struct FirstSeparator {
  size_t position = 0;
  char c = 0;
};

std::array<FirstSeparator, kDateFormats.size()> first_separators() {
  std::array<FirstSeparator, kDateFormats.size()> out{};
  for (size_t i = 0; i < kDateFormats.size(); ++i) {
    std::string_view f = kDateFormats[i];
    size_t position = 0;
    for (size_t k = 0; k < f.size(); ++k) {
      if (f[k] != '%') {
        out[i] = {position, f[k]};
        break;
      }
      char d = f[++k];
      position += d == 'Y' ? 4 : (d == 'b' || d == 'a') ? 3 : 2;
    }
  }
  return out;
}

}  // namespace

std::string_view value_type_name(ValueType t) {
  switch (t) {
    case ValueType::kWord: return "word";
    case ValueType::kInt: return "int";
    case ValueType::kFloat: return "float";
    case ValueType::kHex: return "hex";
    case ValueType::kId: return "id";
    case ValueType::kIp: return "ip";
    case ValueType::kUuid: return "uuid";
    case ValueType::kTimestamp: return "timestamp";
    case ValueType::kPath: return "path";
    case ValueType::kUrl: return "url";
    case ValueType::kEmail: return "email";
    case ValueType::kMac: return "mac";
    case ValueType::kQuantity: return "quantity";
    case ValueType::kNull: return "null";
    case ValueType::kCount: break;
  }
  return "word";
}

std::string_view date_format_string(DateFormat format) {
  if (format == kNoFormat || format == kMixedFormat || format > kDateFormats.size()) return {};
  return kDateFormats[format - 1];
}

size_t utf8_sequence_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  unsigned char c = byte(0);
  if (i >= s.size()) return 0;
  if (c < 0x80) return 1;
  auto tail = [&](size_t k) { return (byte(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return tail(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return byte(1) >= lo && byte(1) <= hi && tail(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return byte(1) >= lo && byte(1) <= hi && tail(2) && tail(3) ? 4 : 0;
  }
  return 0;
}

bool is_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  while (i < s.size()) {
    size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

DateFormat date_format_count() { return static_cast<DateFormat>(kDateFormats.size()); }

DateFormat date_format_id(std::string_view text) {
  for (size_t i = 0; i < kDateFormats.size(); ++i)
    if (kDateFormats[i] == text) return static_cast<DateFormat>(i + 1);
  return kNoFormat;
}

DateFormat match_date_format(std::string_view value) {
  if (value.size() == 3) {  // a month or weekday name: "at Sat Aug 27 ..." is a time whatever the day
    for (size_t i = kDateFormats.size() - kNameFormats; i < kDateFormats.size(); ++i)
      if (matches_format(value, kDateFormats[i])) return static_cast<DateFormat>(i + 1);
    return kNoFormat;
  }
  if (value.size() < 5 || value.size() > 40 || !is_digit(value[0])) return kNoFormat;
  static const auto kFirst = first_separators();
  for (size_t i = 0; i < kDateFormats.size(); ++i) {
    const FirstSeparator& sep = kFirst[i];
    if (sep.c != 0 && (sep.position >= value.size() || value[sep.position] != sep.c)) continue;
    if (matches_format(value, kDateFormats[i])) return static_cast<DateFormat>(i + 1);
  }
  return kNoFormat;
}

bool parses_as_date(std::string_view value, DateFormat format) {
  std::string_view text = date_format_string(format);
  return !text.empty() && matches_format(value, text);
}

bool is_unit(std::string_view word) {
  static constexpr std::array<std::string_view, 24> kUnits = {
      "B",  "KB", "MB",  "GB", "TB",   "PB",  "KiB", "MiB", "GiB", "TiB", "kB", "K",
      "ms", "us", "ns",  "s",  "sec",  "secs", "min", "mins", "h",  "Kbytes", "Mbps", "µs"};
  for (auto u : kUnits)
    if (word == u) return true;
  return false;
}

Wrapped unwrap(std::string_view token) {
  size_t b = 0, e = token.size();
  auto opening = [](char c) { return c == '(' || c == '[' || c == '{' || c == '<' || c == '"' || c == '\''; };
  auto closing = [](char c) {
    return c == ')' || c == ']' || c == '}' || c == '>' || c == '"' || c == '\'' || c == ',' || c == ';' ||
           c == ':' || c == '.' || c == '!' || c == '?';
  };
  while (b < e && opening(token[b])) ++b;
  while (e > b && closing(token[e - 1])) --e;
  return {token.substr(0, b), token.substr(b, e - b), token.substr(e)};
}

ValueType classify_value(std::string_view s, DateFormat* format) {
  *format = kNoFormat;
  if (s.empty()) return ValueType::kWord;
  bool digit = false;
  for (char c : s) digit = digit || is_digit(c);
  if (!digit) {
    if (DateFormat f = match_date_format(s); f != kNoFormat) {
      *format = f;
      return ValueType::kTimestamp;
    }
    if (is_url(s)) return ValueType::kUrl;
    if (is_path(s)) return ValueType::kPath;
    if (is_email(s)) return ValueType::kEmail;
    return ValueType::kWord;
  }
  std::string_view unsigned_part = (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
  if (all_digits(unsigned_part)) return unsigned_part.size() <= 18 ? ValueType::kInt : ValueType::kId;
  if (is_float(s)) return ValueType::kFloat;
  if (DateFormat f = match_date_format(s); f != kNoFormat) {
    *format = f;
    return ValueType::kTimestamp;
  }
  if (is_uuid(s)) return ValueType::kUuid;
  if (is_ipv4(s)) return ValueType::kIp;
  if (is_mac(s)) return ValueType::kMac;
  if (is_ipv6(s)) return ValueType::kIp;
  if (is_hex(s)) return ValueType::kHex;
  if (is_url(s)) return ValueType::kUrl;
  if (is_path(s)) return ValueType::kPath;
  if (is_email(s)) return ValueType::kEmail;
  if (is_quantity(s)) return ValueType::kQuantity;
  if (is_digit_groups(s)) return ValueType::kId;
  return ValueType::kWord;
}

}  // namespace maas::data::discovery
