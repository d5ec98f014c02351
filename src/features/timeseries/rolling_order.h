// Rolling order statistics without sorting each window, for windows whose starts and ends never move back (row and
// time windows over a series in time order): min and max with a monotonic deque, O(n) in all; median and quantiles
// with an order-statistic tree of the window's values, O(n log w). The values equal rolling.cc's sort of each window
// (and so pandas' roll_min, roll_max, roll_median_c and roll_quantile).
//
// Thread-safety: pure functions over the spans they are given; no state.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "features/timeseries/rolling.h"

namespace maas::features::timeseries {

// Each window's min (`largest` false) or max of its non-NaN values; NaN with fewer than max(min_periods, 1) of them.
std::vector<double> rolling_extreme(std::span<const double> x, const WindowBounds& bounds, int64_t min_periods,
                                    bool largest);

// Each window's median (`median`: the mean of the middle two of an even count) or quantile `q` (linear interpolation;
// 0 and 1 the min and max) of its non-NaN values, NaN with fewer than max(min_periods, 1) of them.
std::vector<double> rolling_rank(std::span<const double> x, const WindowBounds& bounds, int64_t min_periods,
                                 bool median, double q);

}  // namespace maas::features::timeseries
