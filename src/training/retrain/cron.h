// A cron schedule (the five fields of crontab(5): minute, hour, day of month, month, day of week) and the next
// minute at which it fires, in UTC: what a retraining schedule runs on (docs/TRAINING.md#retraining).
//
// Thread-safety: pure functions over values.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas::training::retrain {

struct CronSchedule {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> days;     // 1..31
  std::bitset<13> months;   // 1..12
  std::bitset<7> weekdays;  // 0 = Sunday (7 is read as Sunday too)
  // crontab(5): when both day fields are restricted (neither starts with '*'), a day matches when either does.
  bool days_restricted = false;
  bool weekdays_restricted = false;
};

// Each field: '*', a number, a range 'a-b', any of these with a step ('*/15', '1-30/2'), or a comma-separated list
// of them; months may be jan..dec and weekdays sun..sat (any case). Also @yearly (@annually), @monthly, @weekly,
// @daily (@midnight) and @hourly. INVALID_ARGUMENT naming the field and what is wrong.
Result<CronSchedule> parse_cron(std::string_view expression);

// The first whole minute strictly after `after_unix_s` (seconds since the epoch, UTC) at which the schedule fires;
// INVALID_ARGUMENT when it never does within the next 8 years (e.g. "0 0 30 2 *": February 30th).
Result<int64_t> next_fire(const CronSchedule& schedule, int64_t after_unix_s);

}  // namespace maas::training::retrain
