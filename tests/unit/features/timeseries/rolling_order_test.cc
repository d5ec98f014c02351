#include "features/timeseries/rolling_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace maas::features::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The definition: sort each window's non-NaN values (what rolling.cc does for bounds that move back).
double by_sorting(std::span<const double> x, int64_t s, int64_t e, int64_t min_periods, Statistic stat, double q) {
  std::vector<double> w;
  for (int64_t j = s; j < e; ++j) {
    if (!std::isnan(x[j])) w.push_back(x[j]);
  }
  if (w.empty() || static_cast<int64_t>(w.size()) < min_periods) return kNaN;
  std::sort(w.begin(), w.end());
  const size_t n = w.size();
  switch (stat) {
    case Statistic::kMin:
      return w.front();
    case Statistic::kMax:
      return w.back();
    case Statistic::kMedian:
      return n % 2 ? w[n / 2] : (w[n / 2] + w[n / 2 - 1]) / 2;
    default:
      break;
  }
  if (q <= 0) return w.front();
  if (q >= 1) return w.back();
  if (n == 1) return w[0];
  const double position = q * static_cast<double>(n - 1);
  const auto index = static_cast<size_t>(position);
  if (position == static_cast<double>(index)) return w[index];
  return w[index] + (w[index + 1] - w[index]) * (position - static_cast<double>(index));
}

void expect_same_as_sorting(std::span<const double> x, const WindowBounds& b, int64_t min_periods) {
  for (Statistic stat : {Statistic::kMin, Statistic::kMax, Statistic::kMedian, Statistic::kQuantile}) {
    for (double q : {0.0, 0.1, 0.25, 0.5, 0.9, 1.0}) {
      RollingOptions o;
      o.statistic = stat;
      o.min_periods = min_periods;
      o.quantile = q;
      const std::vector<double> got = rolling(x, b, o);
      ASSERT_EQ(got.size(), b.start.size());
      for (size_t i = 0; i < got.size(); ++i) {
        const double want = by_sorting(x, b.start[i], b.end[i], min_periods, stat, q);
        // Bit for bit: the same values through the same arithmetic.
        if (std::isnan(want)) {
          EXPECT_TRUE(std::isnan(got[i])) << "row " << i;
        } else {
          EXPECT_EQ(got[i], want) << "row " << i << " statistic " << static_cast<int>(stat) << " q " << q;
        }
      }
      if (stat != Statistic::kQuantile) break;
    }
  }
}

std::vector<double> series(size_t n, unsigned seed) {
  // Few distinct values (many ties), NaN runs and a negative zero: the cases a deque or tree could get wrong.
  std::mt19937 rng(seed);
  std::vector<double> x(n);
  for (double& v : x) {
    const unsigned r = rng() % 20;
    v = r == 0 ? kNaN : r == 1 ? -0.0 : static_cast<double>(static_cast<int>(rng() % 9) - 4) / 4;
  }
  for (size_t i = n / 3; i < n / 3 + 12 && i < n; ++i) x[i] = kNaN;
  return x;
}

TEST(RollingOrder, RowWindowsEqualSortingEachWindow) {
  const std::vector<double> x = series(400, 7);
  for (int64_t window : {1, 2, 3, 7, 24, 500}) {
    for (int64_t min_periods : {0, 1, 3}) expect_same_as_sorting(x, row_windows(x.size(), window), min_periods);
  }
}

TEST(RollingOrder, TimeWindowsWithRepeatedTimesEqualSortingEachWindow) {
  const std::vector<double> x = series(300, 11);
  std::vector<int64_t> times;
  std::mt19937 rng(3);
  int64_t t = 0;
  for (size_t i = 0; i < x.size(); ++i) times.push_back(t += static_cast<int64_t>(rng() % 4));  // steps of 0 too
  for (int64_t window : {1, 5, 40}) expect_same_as_sorting(x, time_windows(times, window), 1);
}

TEST(RollingOrder, AllMissingAndEmptySeries) {
  const std::vector<double> nans(10, kNaN);
  expect_same_as_sorting(nans, row_windows(nans.size(), 3), 1);
  expect_same_as_sorting({}, row_windows(0, 3), 1);
}

}  // namespace
}  // namespace maas::features::timeseries
