#include "data/rules/cast.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace maas::data::rules {
namespace {

constexpr std::array<const char*, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<const char*, 7> kWeekdays = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr std::array<const char*, 12> kMonthTails = {"uary", "ruary", "ch",     "il",   "",      "e",
                                                     "y",    "ust",   "tember", "ober", "ember", "ember"};
constexpr std::array<const char*, 7> kWeekdayTails = {"day", "day", "sday", "nesday", "rsday", "day", "urday"};

bool iequals_prefix(std::string_view text, size_t pos, std::string_view word) {
  if (text.size() - pos < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[pos + i])) != word[i]) return false;
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t& y, int64_t& m, int64_t& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp + (mp < 10 ? 3 : -9);
  y = yoe + era * 400 + (m <= 2 ? 1 : 0);
}

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t days_in_month(int64_t y, int64_t m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[static_cast<size_t>(m - 1)];
}

// The fields a timestamp is read into; defaults as strptime's (1900-01-01 00:00:00).
struct Fields {
  int64_t year = 1900, month = 1, day = 1, hour = 0, minute = 0, second = 0, micros = 0;
  int64_t day_of_year = 0;  // 1-based when %j was read
  int64_t offset_s = 0;
  bool pm = false, has_ampm = false, has_epoch = false;
  int64_t epoch = 0;
};

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  bool done() const { return pos_ == text_.size(); }
  size_t pos() const { return pos_; }
  void skip_spaces() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool literal(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) return ++pos_, true;
    return false;
  }
  // Up to `max` digits (at least `min`), with an optional sign when `sign`.
  bool number(int min, int max, int64_t& out, bool sign = false) {
    bool negative = false;
    if (sign && pos_ < text_.size() && (text_[pos_] == '-' || text_[pos_] == '+')) negative = text_[pos_++] == '-';
    int n = 0;
    out = 0;
    while (n < max && pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      out = out * 10 + (text_[pos_++] - '0');
      ++n;
    }
    if (negative) out = -out;
    return n >= min;
  }
  // One of `names` (lower case), optionally followed by its tail; the index, or -1.
  template <size_t N>
  int name(const std::array<const char*, N>& names, const std::array<const char*, N>& tails) {
    for (size_t i = 0; i < N; ++i) {
      if (!iequals_prefix(text_, pos_, names[i])) continue;
      pos_ += 3;
      if (iequals_prefix(text_, pos_, tails[i]) && tails[i][0] != '\0') pos_ += std::string_view(tails[i]).size();
      return static_cast<int>(i);
    }
    return -1;
  }
  bool ampm(bool& pm) {
    if (iequals_prefix(text_, pos_, "am")) return pos_ += 2, pm = false, true;
    if (iequals_prefix(text_, pos_, "pm")) return pos_ += 2, pm = true, true;
    return false;
  }
  bool fraction(int64_t& micros) {
    int n = 0;
    micros = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      if (n < 6) micros = micros * 10 + (text_[pos_] - '0');
      ++pos_;
      ++n;
    }
    if (n == 0 || n > 9) return false;
    for (int i = n; i < 6; ++i) micros *= 10;
    return true;
  }
  bool zone(int64_t& offset_s) {
    if (literal('Z') || literal('z')) return offset_s = 0, true;
    if (pos_ >= text_.size() || (text_[pos_] != '+' && text_[pos_] != '-')) return false;
    const int64_t sign = text_[pos_++] == '-' ? -1 : 1;
    int64_t hours = 0, minutes = 0;
    if (!number(2, 2, hours)) return false;
    literal(':');
    if (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])) && !number(2, 2, minutes)) {
      return false;
    }
    if (hours > 23 || minutes > 59) return false;
    offset_s = sign * (hours * 3600 + minutes * 60);
    return true;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// Reads one directive; false when the text does not fit it.
bool read_directive(char directive, Reader& r, Fields& f, bool& has_zone) {
  switch (directive) {
    case 'Y':
      return r.number(4, 4, f.year);
    case 'y':
      if (!r.number(2, 2, f.year)) return false;
      f.year += f.year < 69 ? 2000 : 1900;
      return true;
    case 'm':
      return r.number(1, 2, f.month);
    case 'd':
    case 'e':
      r.skip_spaces();
      return r.number(1, 2, f.day);
    case 'H':
    case 'I':
      return r.number(1, 2, f.hour);
    case 'p':
      f.has_ampm = true;
      return r.ampm(f.pm);
    case 'M':
      return r.number(1, 2, f.minute);
    case 'S':
      return r.number(1, 2, f.second);
    case 'f':
      return r.fraction(f.micros);
    case 'z':
      has_zone = true;
      return r.zone(f.offset_s);
    case 'b':
    case 'h':
    case 'B': {
      int m = r.name(kMonths, kMonthTails);
      f.month = m + 1;
      return m >= 0;
    }
    case 'a':
    case 'A':
      return r.name(kWeekdays, kWeekdayTails) >= 0;
    case 'j':
      return r.number(1, 3, f.day_of_year) && f.day_of_year >= 1;
    case 's':
      f.has_epoch = true;
      return r.number(1, 12, f.epoch, true);
    case '%':
      return r.literal('%');
    default:
      return false;
  }
}

std::string format_timestamp(int64_t epoch_s, int64_t micros) {
  int64_t days = epoch_s >= 0 ? epoch_s / 86400 : -((-epoch_s + 86399) / 86400);
  int64_t secs = epoch_s - days * 86400;
  int64_t y = 0, m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld.%06lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                static_cast<long long>(micros));
  return buf;
}

Result<std::string> parse_timestamp(std::string_view text, std::string_view format) {
  Reader r(text);
  Fields f;
  bool has_zone = false;
  for (size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      r.skip_spaces();
      continue;
    }
    if (c != '%') {
      if (!r.literal(c)) return invalid_argument("expected '" + std::string(1, c) + "'");
      continue;
    }
    const char directive = format[++i];
    bool ok = true;
    if (directive == 'T') {
      ok = read_directive('H', r, f, has_zone) && r.literal(':') && read_directive('M', r, f, has_zone) &&
           r.literal(':') && read_directive('S', r, f, has_zone);
    } else if (directive == 'F') {
      ok = read_directive('Y', r, f, has_zone) && r.literal('-') && read_directive('m', r, f, has_zone) &&
           r.literal('-') && read_directive('d', r, f, has_zone);
    } else {
      ok = read_directive(directive, r, f, has_zone);
    }
    if (!ok) return invalid_argument(std::string("it does not fit %") + directive);
  }
  if (!r.done()) return invalid_argument("text is left after the format");
  if (f.has_epoch) return format_timestamp(f.epoch, f.micros);
  if (f.has_ampm) {
    if (f.hour < 1 || f.hour > 12) return invalid_argument("the hour is not 1-12");
    f.hour = f.hour % 12 + (f.pm ? 12 : 0);
  }
  if (f.day_of_year > 0) {
    if (f.day_of_year > (is_leap(f.year) ? 366 : 365)) return invalid_argument("the day of the year is out of range");
    int64_t y = 0;
    civil_from_days(days_from_civil(f.year, 1, 1) + f.day_of_year - 1, y, f.month, f.day);
  }
  if (f.month < 1 || f.month > 12) return invalid_argument("the month is out of range");
  if (f.day < 1 || f.day > days_in_month(f.year, f.month)) return invalid_argument("the day is out of range");
  if (f.hour > 23 || f.minute > 59 || f.second > 60) return invalid_argument("the time is out of range");
  int64_t epoch = days_from_civil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.minute * 60 + f.second;
  if (has_zone) epoch -= f.offset_s;
  return format_timestamp(epoch, f.micros);
}

// ISO 8601 without a format: a date, or a date and time ('T' or a space), with an optional fraction and zone.
Result<std::string> parse_iso_timestamp(std::string_view text) {
  for (std::string_view format :
       {"%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S.%f%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M", "%Y-%m-%d"}) {
    if (auto parsed = parse_timestamp(text, format); parsed.ok()) return parsed;
  }
  return invalid_argument("it is not an ISO 8601 date or time (give the column a format)");
}

std::string quoted(std::string_view text) {
  constexpr size_t kShown = 80;
  std::string s(text.substr(0, kShown));
  if (text.size() > kShown) s += "...";
  return "'" + s + "'";
}

bool parse_bool(std::string_view text, bool& out) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* t : {"true", "t", "yes", "y", "1", "on"}) {
    if (lower == t) return out = true, true;
  }
  for (const char* f : {"false", "f", "no", "n", "0", "off"}) {
    if (lower == f) return out = false, true;
  }
  return false;
}

}  // namespace

Result<CastType> cast_type_from_name(std::string_view name) {
  if (name == "string" || name == "str" || name == "varchar") return CastType::kString;
  if (name == "int" || name == "int64" || name == "integer" || name == "bigint") return CastType::kInt;
  if (name == "float" || name == "float64" || name == "double") return CastType::kFloat;
  if (name == "bool" || name == "boolean") return CastType::kBool;
  if (name == "timestamp") return CastType::kTimestamp;
  return invalid_argument("unknown column type '" + std::string(name) + "'; use string, int, float, bool or timestamp");
}

std::string cast_type_name(CastType type) {
  switch (type) {
    case CastType::kString:
      return "string";
    case CastType::kInt:
      return "int";
    case CastType::kFloat:
      return "float";
    case CastType::kBool:
      return "bool";
    case CastType::kTimestamp:
      return "timestamp";
  }
  return "string";
}

std::string duckdb_type(CastType type) {
  switch (type) {
    case CastType::kString:
      return "VARCHAR";
    case CastType::kInt:
      return "BIGINT";
    case CastType::kFloat:
      return "DOUBLE";
    case CastType::kBool:
      return "BOOLEAN";
    case CastType::kTimestamp:
      return "TIMESTAMP";
  }
  return "VARCHAR";
}

Status check_timestamp_format(std::string_view format) {
  constexpr std::string_view kDirectives = "YymdeHIpMSfzbhBaAjsTF%";
  if (format.empty()) return invalid_argument("a timestamp format is empty");
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 == format.size() || kDirectives.find(format[i + 1]) == std::string_view::npos) {
      return invalid_argument("timestamp format '" + std::string(format) + "': unsupported directive '%" +
                              std::string(format.substr(i + 1, 1)) + "' (supported: %Y %y %m %d %e %H %I %p %M %S " +
                              "%f %z %b %h %B %a %A %j %s %T %F %%)");
    }
    ++i;
  }
  return {};
}

Result<nlohmann::json> cast_value(std::string_view text, CastType type, std::string_view format) {
  switch (type) {
    case CastType::kString:
      return nlohmann::json(std::string(text));
    case CastType::kInt: {
      int64_t v = 0;
      const char* begin = text.data() + (!text.empty() && text[0] == '+' ? 1 : 0);
      auto [end, ec] = std::from_chars(begin, text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size() || begin == end) {
        return invalid_argument(quoted(text) + " is not an int" +
                                (ec == std::errc::result_out_of_range ? " (out of range)" : ""));
      }
      return nlohmann::json(v);
    }
    case CastType::kFloat: {
      double v = 0;
      const char* begin = text.data() + (!text.empty() && text[0] == '+' ? 1 : 0);
      auto [end, ec] = std::from_chars(begin, text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size() || begin == end || !std::isfinite(v)) {
        return invalid_argument(quoted(text) + " is not a finite float");
      }
      return nlohmann::json(v);
    }
    case CastType::kBool: {
      bool v = false;
      if (!parse_bool(text, v)) return invalid_argument(quoted(text) + " is not a bool (true/false, yes/no, 1/0)");
      return nlohmann::json(v);
    }
    case CastType::kTimestamp: {
      auto parsed = format.empty() ? parse_iso_timestamp(text) : parse_timestamp(text, format);
      if (!parsed.ok()) {
        return invalid_argument(quoted(text) + " is not a timestamp" +
                                (format.empty() ? "" : " in the format '" + std::string(format) + "'") + ": " +
                                parsed.status().message());
      }
      return nlohmann::json(*parsed);
    }
  }
  return internal_error("unknown cast type");
}

}  // namespace maas::data::rules
