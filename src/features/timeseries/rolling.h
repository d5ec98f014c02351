// Rolling-window statistics over one entity's series in time order, with pandas 1.5's arithmetic (Kahan-compensated
// online add/remove for sum and mean, Welford with compensation for var/std), so offline jobs and online callers
// compute bit-for-bit the same values from the same rows.
//
// Thread-safety: pure functions over the spans they are given; no state.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace maas::features::timeseries {

enum class Statistic { kMean, kSum, kVar, kStd, kCount, kMin, kMax, kMedian, kQuantile };

// Row i's window is [start[i], end[i]) of the series.
struct WindowBounds {
  std::vector<int64_t> start;
  std::vector<int64_t> end;
};

// The last `window` rows up to and including each row (pandas' rolling(window)).
WindowBounds row_windows(size_t rows, int64_t window);
// The rows whose time lies in (times[i] - window, times[i]] up to row i (pandas' rolling('1h', on=...), closed
// 'right'). `times` must not decrease; rows with equal times see the earlier ones but not the later ones.
WindowBounds time_windows(std::span<const int64_t> times, int64_t window);

struct RollingOptions {
  Statistic statistic = Statistic::kMean;
  int64_t min_periods = 1;  // fewer non-NaN values than this in a window give NaN
  double quantile = 0.5;    // kQuantile: in [0, 1], linear interpolation
  int ddof = 1;             // kVar, kStd
};

// One value per row of `values` (NaN is a missing value). `bounds` has one window per row.
std::vector<double> rolling(std::span<const double> values, const WindowBounds& bounds, const RollingOptions& options);

}  // namespace maas::features::timeseries
