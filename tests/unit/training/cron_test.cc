// The cron schedules of retraining: parsing crontab(5)'s five fields and the next minute a schedule fires, in UTC
// (the expected instants were computed with Python's datetime).
#include "training/retrain/cron.h"

#include <gtest/gtest.h>

namespace maas::training::retrain {
namespace {

constexpr int64_t kMonday1934 = 1796672070;  // 2026-12-07 19:34:30 UTC, a Monday

int64_t next(const char* expression, int64_t after) {
  auto schedule = parse_cron(expression);
  EXPECT_TRUE(schedule.ok()) << schedule.status().message();
  auto fire = next_fire(*schedule, after);
  EXPECT_TRUE(fire.ok()) << fire.status().message();
  return fire.ok() ? *fire : -1;
}

TEST(Cron, StepsRangesAndListsFireAtTheNextMatchingMinute) {
  EXPECT_EQ(next("*/15 * * * *", kMonday1934), 1796672700);           // 19:45
  EXPECT_EQ(next("*/15 * * * *", 1796672700), 1796672700 + 15 * 60);  // strictly after: 20:00
  EXPECT_EQ(next("0 3 * * *", kMonday1934), 1796698800);              // Tuesday 03:00
  EXPECT_EQ(next("40,50 19 * * *", kMonday1934), 1796672400);         // 19:40
  auto s = parse_cron("1-10/3 * * * *");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->minutes.test(1) && s->minutes.test(4) && s->minutes.test(7) && s->minutes.test(10));
  EXPECT_EQ(s->minutes.count(), 4u);
}

TEST(Cron, WeekdaysByNumberOrNameAndSevenIsSunday) {
  EXPECT_EQ(next("0 3 * * mon", kMonday1934), 1797217200);  // next Monday, 2026-12-14 03:00
  EXPECT_EQ(next("0 3 * * MON", kMonday1934), 1797217200);
  EXPECT_EQ(next("0 3 * * 1", kMonday1934), 1797217200);
  EXPECT_EQ(next("0 12 * * 7", kMonday1934), next("0 12 * * sun", kMonday1934));
  EXPECT_EQ(next("0 12 * * 0", kMonday1934), 1797163200);  // Sunday 2026-12-13 12:00
}

TEST(Cron, BothDayFieldsRestrictedMatchEitherAsCrontabSays) {
  EXPECT_EQ(next("0 12 15 * sun", kMonday1934), 1797163200);  // the Sunday comes first
  EXPECT_EQ(next("0 12 15 * sun", 1797163200), 1797336000);   // then the 15th (a Tuesday)
  EXPECT_EQ(next("0 12 15 * *", kMonday1934), 1797336000);    // '*' weekdays: the 15th only
}

TEST(Cron, MonthsLeapDaysAndMacros) {
  EXPECT_EQ(next("0 0 29 2 *", 1704067200), 1709164800);    // 2024-02-29
  EXPECT_EQ(next("0 0 29 feb *", 1709164800), 1835395200);  // the next leap day, 2028-02-29
  EXPECT_EQ(next("@yearly", 1798761540), 1798761600);       // 2026-12-31 23:59 -> 2027-01-01 00:00
  EXPECT_EQ(next("@hourly", kMonday1934), 1796673600);      // 20:00
  EXPECT_EQ(next("@daily", kMonday1934), next("0 0 * * *", kMonday1934));
}

TEST(Cron, AScheduleThatNeverFiresIsAnError) {
  auto s = parse_cron("0 0 30 2 *");
  ASSERT_TRUE(s.ok());
  auto fire = next_fire(*s, kMonday1934);
  ASSERT_FALSE(fire.ok());
  EXPECT_NE(fire.status().message().find("never fires"), std::string::npos);
}

TEST(Cron, BadExpressionsNameTheFieldAndTheProblem) {
  const std::pair<const char*, const char*> cases[] = {
      {"* * * *", "5 fields"},
      {"60 * * * *", "minute field: '60' is outside 0-59"},
      {"* 24 * * *", "hour field"},
      {"* * 0 * *", "day of month field"},
      {"*/0 * * * *", "step"},
      {"5-1 * * * *", "ends before it starts"},
      {"* * * foo *", "month field: 'foo' is not a number or a name"},
      {"1,,2 * * * *", "empty list item"},
      {"* * * * 8", "day of week field"},
      {"a * * * *", "minute field: 'a' is not a number"},
  };
  for (const auto& [expression, words] : cases) {
    auto s = parse_cron(expression);
    ASSERT_FALSE(s.ok()) << expression;
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.status().message().find(words), std::string::npos) << expression << ": " << s.status().message();
  }
}

}  // namespace
}  // namespace maas::training::retrain
