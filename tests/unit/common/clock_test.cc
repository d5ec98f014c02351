#include "common/clock.h"

#include <gtest/gtest.h>

namespace maas {
namespace {

TEST(ClockTest, FormatsRfc3339WithMillisecondsAcrossSecondsAndDays) {
  // The same second twice (the cached part), then the next second and the next day.
  EXPECT_EQ(format_rfc3339_ms(1764151200123), "2025-11-26T10:00:00.123Z");
  EXPECT_EQ(format_rfc3339_ms(1764151200999), "2025-11-26T10:00:00.999Z");
  EXPECT_EQ(format_rfc3339_ms(1764151201000), "2025-11-26T10:00:01.000Z");
  EXPECT_EQ(format_rfc3339_ms(1764201599007), "2025-11-26T23:59:59.007Z");
  EXPECT_EQ(format_rfc3339_ms(1764201600000), "2025-11-27T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_ms(-1), "1969-12-31T23:59:59.999Z");
}

TEST(ClockTest, FormattedTimesParseBack) {
  for (int64_t ms : {int64_t{1764151200123}, int64_t{951782400000}, int64_t{4102444799999}}) {
    auto parsed = parse_rfc3339_ms(format_rfc3339_ms(ms));
    ASSERT_TRUE(parsed.has_value()) << ms;
    EXPECT_EQ(*parsed, ms);
  }
}

}  // namespace
}  // namespace maas
