#include "features/timeseries/rolling.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "features/timeseries/rolling_order.h"
#include "features/timeseries/running.h"

namespace maas::features::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool monotonic_bounds(const WindowBounds& b) {
  return std::is_sorted(b.start.begin(), b.start.end()) && std::is_sorted(b.end.begin(), b.end.end());
}

// The online algorithms of roll_sum/roll_mean/roll_var: add the first window, then per row remove what left and add
// what entered; start over when windows stop overlapping (or are not monotonic).
template <typename State, typename Emit>
std::vector<double> online(std::span<const double> x, const WindowBounds& b, Emit emit) {
  const size_t n = b.start.size();
  std::vector<double> out(n, kNaN);
  const bool monotonic = monotonic_bounds(b);
  State state;
  for (size_t i = 0; i < n; ++i) {
    const int64_t s = b.start[i], e = b.end[i];
    if (i == 0 || !monotonic || s >= b.end[i - 1]) {
      state.reset(s < static_cast<int64_t>(x.size()) ? x[s] : kNaN);
      for (int64_t j = s; j < e; ++j) state.add(x[j]);
    } else {
      for (int64_t j = b.start[i - 1]; j < s; ++j) state.remove(x[j]);
      for (int64_t j = b.end[i - 1]; j < e; ++j) state.add(x[j]);
    }
    out[i] = emit(state);
  }
  return out;
}

// Sorted non-NaN values of each window: the same order statistics as pandas' skiplist.
template <typename Pick>
std::vector<double> order_statistic(std::span<const double> x, const WindowBounds& b, int64_t min_periods, Pick pick) {
  std::vector<double> out(b.start.size(), kNaN), window;
  for (size_t i = 0; i < b.start.size(); ++i) {
    window.clear();
    for (int64_t j = b.start[i]; j < b.end[i]; ++j) {
      if (!std::isnan(x[j])) window.push_back(x[j]);
    }
    const auto nobs = static_cast<int64_t>(window.size());
    if (nobs == 0 || nobs < min_periods) continue;
    std::sort(window.begin(), window.end());
    out[i] = pick(window);
  }
  return out;
}

double median_of(const std::vector<double>& sorted) {
  const size_t n = sorted.size(), mid = n / 2;
  return n % 2 ? sorted[mid] : (sorted[mid] + sorted[mid - 1]) / 2;
}

// roll_quantile's linear interpolation (q of 0 and 1 are pandas' roll_min and roll_max).
double quantile_of(const std::vector<double>& sorted, double q) {
  if (q <= 0) return sorted.front();
  if (q >= 1) return sorted.back();
  if (sorted.size() == 1) return sorted[0];
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto index = static_cast<size_t>(position);
  if (position == static_cast<double>(index)) return sorted[index];
  const double low = sorted[index], high = sorted[index + 1];
  return low + (high - low) * (position - static_cast<double>(index));
}

}  // namespace

WindowBounds row_windows(size_t rows, int64_t window) {
  WindowBounds b;
  b.start.resize(rows);
  b.end.resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    b.end[i] = static_cast<int64_t>(i) + 1;
    b.start[i] = std::max<int64_t>(0, b.end[i] - window);
  }
  return b;
}

WindowBounds time_windows(std::span<const int64_t> times, int64_t window) {
  WindowBounds b;
  const size_t n = times.size();
  b.start.resize(n);
  b.end.resize(n);
  for (size_t i = 0; i < n; ++i) {
    b.end[i] = static_cast<int64_t>(i) + 1;
    int64_t s = i == 0 ? 0 : b.start[i - 1];
    while (s < static_cast<int64_t>(i) && times[s] <= times[i] - window) ++s;
    b.start[i] = s;
  }
  return b;
}

std::vector<double> rolling(std::span<const double> x, const WindowBounds& b, const RollingOptions& o) {
  const int64_t minp = o.min_periods;
  switch (o.statistic) {
    case Statistic::kMean:
    case Statistic::kSum:
      return online<SumState>(x, b, [&o](const SumState& s) { return sum_statistic(s, o); });
    case Statistic::kCount: {
      // pandas counts as a rolling sum of notna(x).
      std::vector<double> present(x.size());
      for (size_t i = 0; i < x.size(); ++i) present[i] = std::isnan(x[i]) ? 0.0 : 1.0;
      return online<SumState>(present, b, [minp](const SumState& s) { return s.total(minp); });
    }
    case Statistic::kVar:
    case Statistic::kStd:
      return online<VarState>(x, b, [&o](const VarState& s) { return var_statistic(s, o); });
    // Windows that only move forward (all that row_windows and time_windows make) take rolling_order.h's O(n log w)
    // way; the sort of each window stays for any other bounds.
    case Statistic::kMin:
      if (monotonic_bounds(b)) return rolling_extreme(x, b, minp, false);
      return order_statistic(x, b, minp, [](const std::vector<double>& w) { return w.front(); });
    case Statistic::kMax:
      if (monotonic_bounds(b)) return rolling_extreme(x, b, minp, true);
      return order_statistic(x, b, minp, [](const std::vector<double>& w) { return w.back(); });
    case Statistic::kMedian:
      if (monotonic_bounds(b)) return rolling_rank(x, b, minp, true, 0.5);
      return order_statistic(x, b, minp, median_of);
    case Statistic::kQuantile: {
      const double q = o.quantile;
      if (monotonic_bounds(b)) return rolling_rank(x, b, minp, false, q);
      return order_statistic(x, b, minp, [q](const std::vector<double>& w) { return quantile_of(w, q); });
    }
  }
  return std::vector<double>(b.start.size(), kNaN);
}

}  // namespace maas::features::timeseries
