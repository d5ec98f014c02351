#include "features/timeseries/calendar.h"

#include <chrono>
#include <cmath>
#include <numbers>

namespace maas::features::timeseries {
namespace {

constexpr int64_t kMicrosPerHour = 3'600'000'000LL;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

double cyclic(double value, double period, bool sine) {
  const double angle = 2 * std::numbers::pi * value / period;
  return sine ? std::sin(angle) : std::cos(angle);
}

}  // namespace

std::optional<CalendarField> calendar_field(std::string_view name) {
  static constexpr std::pair<std::string_view, CalendarField> kNames[] = {
      {"hour", CalendarField::kHour},
      {"weekday", CalendarField::kWeekday},
      {"month", CalendarField::kMonth},
      {"day_of_year", CalendarField::kDayOfYear},
      {"is_weekend", CalendarField::kIsWeekend},
      {"hour_sin", CalendarField::kHourSin},
      {"hour_cos", CalendarField::kHourCos},
      {"weekday_sin", CalendarField::kWeekdaySin},
      {"weekday_cos", CalendarField::kWeekdayCos},
      {"month_sin", CalendarField::kMonthSin},
      {"month_cos", CalendarField::kMonthCos},
  };
  for (const auto& [key, field] : kNames) {
    if (key == name) return field;
  }
  return std::nullopt;
}

double calendar_value(int64_t epoch_us, CalendarField field) {
  using namespace std::chrono;
  const int64_t days = floor_div(epoch_us, kMicrosPerDay);
  const int64_t hour_of_day = (epoch_us - days * kMicrosPerDay) / kMicrosPerHour;
  const auto hour = static_cast<double>(hour_of_day);
  const auto weekday = static_cast<double>(((days + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday (3)
  const sys_days day{std::chrono::days{days}};
  const year_month_day ymd{day};
  const auto month = static_cast<double>(static_cast<unsigned>(ymd.month()));
  switch (field) {
    case CalendarField::kHour:
      return hour;
    case CalendarField::kWeekday:
      return weekday;
    case CalendarField::kMonth:
      return month;
    case CalendarField::kDayOfYear:
      return static_cast<double>((day - sys_days{ymd.year() / January / 1}).count() + 1);
    case CalendarField::kIsWeekend:
      return weekday >= 5 ? 1.0 : 0.0;
    case CalendarField::kHourSin:
    case CalendarField::kHourCos:
      return cyclic(hour, 24, field == CalendarField::kHourSin);
    case CalendarField::kWeekdaySin:
    case CalendarField::kWeekdayCos:
      return cyclic(weekday, 7, field == CalendarField::kWeekdaySin);
    case CalendarField::kMonthSin:
    case CalendarField::kMonthCos:
      return cyclic(month - 1, 12, field == CalendarField::kMonthSin);
  }
  return 0;
}

}  // namespace maas::features::timeseries
