#include "training/retrain/cron.h"

#include <array>
#include <cctype>
#include <charconv>
#include <vector>

namespace maas::training::retrain {
namespace {

struct Field {
  const char* name;
  int low;
  int high;
  const char* const* names;  // names[i] is the value low + i; null: numbers only
  int name_count;
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr std::array<Field, 5> kFields = {{{"minute", 0, 59, nullptr, 0},
                                           {"hour", 0, 23, nullptr, 0},
                                           {"day of month", 1, 31, nullptr, 0},
                                           {"month", 1, 12, kMonthNames, 12},
                                           {"day of week", 0, 7, kDayNames, 7}}};

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

Status bad(const Field& field, std::string_view part, const std::string& why) {
  return invalid_argument("the cron " + std::string(field.name) + " field: '" + std::string(part) + "' " + why);
}

Result<int> value(const Field& field, std::string_view text) {
  if (field.names && text.size() == 3) {
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (int i = 0; i < field.name_count; ++i) {
      if (lower == field.names[i]) return field.low + i;
    }
  }
  int v = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return bad(field, text, "is not a number" + std::string(field.names ? " or a name" : ""));
  }
  if (v < field.low || v > field.high) {
    return bad(field, text, "is outside " + std::to_string(field.low) + "-" + std::to_string(field.high));
  }
  return v;
}

// One comma-separated part of a field into `bits` (indexed by value).
Status apply_part(const Field& field, std::string_view part, std::vector<bool>& bits) {
  auto slash = part.find('/');
  std::string_view range = part.substr(0, slash);
  int step = 1;
  if (slash != std::string_view::npos) {
    auto [end, error] = std::from_chars(part.data() + slash + 1, part.data() + part.size(), step);
    if (error != std::errc() || end != part.data() + part.size() || step < 1) {
      return bad(field, part, "has a step that is not a positive number");
    }
  }
  int low = field.low, high = field.high;
  if (range != "*") {
    auto dash = range.find('-');
    MAAS_ASSIGN_OR_RETURN(low, value(field, range.substr(0, dash)));
    if (dash != std::string_view::npos) {
      MAAS_ASSIGN_OR_RETURN(high, value(field, range.substr(dash + 1)));
      if (high < low) return bad(field, part, "is a range that ends before it starts");
    } else {
      high = slash != std::string_view::npos ? field.high : low;  // "5/15": from 5 to the end, as cronie reads it
    }
  }
  for (int v = low; v <= high; v += step) bits[static_cast<size_t>(v)] = true;
  return {};
}

template <size_t N>
Status parse_field(const Field& field, std::string_view text, std::bitset<N>& out, bool* restricted) {
  std::vector<bool> bits(static_cast<size_t>(field.high) + 1, false);
  for (std::string_view part : split(text, ',')) {
    if (part.empty()) return bad(field, text, "has an empty list item");
    MAAS_RETURN_IF_ERROR(apply_part(field, part, bits));
  }
  for (size_t v = 0; v < bits.size(); ++v) {
    if (bits[v]) out.set(v % N);  // day of week 7 is Sunday (0); no other field wraps
  }
  if (restricted) *restricted = text.front() != '*';
  return {};
}

std::string_view macro(std::string_view expression) {
  static const std::array<std::pair<std::string_view, std::string_view>, 7> kMacros = {{{"@yearly", "0 0 1 1 *"},
                                                                                        {"@annually", "0 0 1 1 *"},
                                                                                        {"@monthly", "0 0 1 * *"},
                                                                                        {"@weekly", "0 0 * * 0"},
                                                                                        {"@daily", "0 0 * * *"},
                                                                                        {"@midnight", "0 0 * * *"},
                                                                                        {"@hourly", "0 * * * *"}}};
  for (const auto& [name, fields] : kMacros) {
    if (expression == name) return fields;
  }
  return expression;
}

// Howard Hinnant's days_from_civil and civil_from_days: the proleptic Gregorian calendar in UTC.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool day_matches(const CronSchedule& s, int64_t days, const Civil& date) {
  const bool dom = s.days.test(date.day);
  const bool dow = s.weekdays.test(static_cast<size_t>(((days % 7) + 11) % 7));  // 1970-01-01 was a Thursday
  if (s.days_restricted && s.weekdays_restricted) return dom || dow;
  return dom && dow;
}

}  // namespace

Result<CronSchedule> parse_cron(std::string_view expression) {
  std::vector<std::string_view> fields;
  for (std::string_view part : split(macro(expression), ' ')) {
    if (!part.empty()) fields.push_back(part);
  }
  if (fields.size() != 5) {
    return invalid_argument(
        "a cron schedule has 5 fields (minute hour day-of-month month day-of-week, e.g. "
        "'0 3 * * 1'), got " +
        std::to_string(fields.size()) + " in '" + std::string(expression) + "'");
  }
  CronSchedule s;
  MAAS_RETURN_IF_ERROR(parse_field(kFields[0], fields[0], s.minutes, nullptr));
  MAAS_RETURN_IF_ERROR(parse_field(kFields[1], fields[1], s.hours, nullptr));
  MAAS_RETURN_IF_ERROR(parse_field(kFields[2], fields[2], s.days, &s.days_restricted));
  MAAS_RETURN_IF_ERROR(parse_field(kFields[3], fields[3], s.months, nullptr));
  MAAS_RETURN_IF_ERROR(parse_field(kFields[4], fields[4], s.weekdays, &s.weekdays_restricted));
  return s;
}

Result<int64_t> next_fire(const CronSchedule& s, int64_t after_unix_s) {
  int64_t minute = floor_div(after_unix_s, 60) + 1;  // strictly after: the next whole minute
  const int64_t limit = minute + int64_t{8} * 366 * 24 * 60;
  while (minute < limit) {
    const int64_t days = floor_div(minute, 24 * 60);
    const Civil date = civil_from_days(days);
    if (!s.months.test(date.month)) {  // to the first minute of the next month
      const Civil next = date.month == 12 ? Civil{date.year + 1, 1, 1} : Civil{date.year, date.month + 1, 1};
      minute = days_from_civil(next.year, next.month, 1) * 24 * 60;
      continue;
    }
    if (!day_matches(s, days, date)) {
      minute = (days + 1) * 24 * 60;
      continue;
    }
    const int64_t in_day = minute - days * 24 * 60;
    if (!s.hours.test(static_cast<size_t>(in_day / 60))) {
      minute = days * 24 * 60 + (in_day / 60 + 1) * 60;
      continue;
    }
    if (!s.minutes.test(static_cast<size_t>(in_day % 60))) {
      ++minute;
      continue;
    }
    return minute * 60;
  }
  return invalid_argument("the cron schedule never fires (e.g. a day that its months do not have)");
}

}  // namespace maas::training::retrain
