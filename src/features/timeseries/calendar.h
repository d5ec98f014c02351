// Calendar features of a timestamp (UTC) and their cyclic encodings, as pandas' .dt accessors give them.
//
// Thread-safety: pure functions; no state.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace maas::features::timeseries {

enum class CalendarField {
  kHour,       // 0..23
  kWeekday,    // Monday 0 .. Sunday 6 (pandas' dayofweek)
  kMonth,      // 1..12
  kDayOfYear,  // 1..366
  kIsWeekend,  // 1 on Saturday and Sunday, else 0
  kHourSin,    // sin(2π hour / 24)
  kHourCos,
  kWeekdaySin,  // sin(2π weekday / 7)
  kWeekdayCos,
  kMonthSin,  // sin(2π (month - 1) / 12)
  kMonthCos,
};

// The field a name in a feature spec names ("hour", "weekday", "month", "day_of_year", "is_weekend", "hour_sin", ...).
std::optional<CalendarField> calendar_field(std::string_view name);
// The field's value for a time in microseconds since the Unix epoch (UTC).
double calendar_value(int64_t epoch_us, CalendarField field);

}  // namespace maas::features::timeseries
