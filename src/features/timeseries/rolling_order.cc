#include "features/timeseries/rolling_order.h"

#include <cmath>
#include <deque>
#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>
#include <functional>
#include <limits>
#include <utility>

namespace maas::features::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The window's values keyed by (value, row): equal values stay apart, and find_by_order gives the k-th smallest.
using OrderTree = __gnu_pbds::tree<std::pair<double, int64_t>, __gnu_pbds::null_type, std::less<>,
                                   __gnu_pbds::rb_tree_tag, __gnu_pbds::tree_order_statistics_node_update>;

bool enough(int64_t nobs, int64_t min_periods) { return nobs > 0 && nobs >= min_periods; }

// rolling.cc's median_of and quantile_of, reading the k-th smallest from the tree instead of a sorted copy: the same
// operations on the same values, so the same doubles.
double rank_value(const OrderTree& tree, bool median, double q) {
  const size_t n = tree.size();
  auto at = [&tree](size_t k) { return tree.find_by_order(k)->first; };
  if (median) {
    const size_t mid = n / 2;
    return n % 2 ? at(mid) : (at(mid) + at(mid - 1)) / 2;
  }
  if (q <= 0) return at(0);
  if (q >= 1) return at(n - 1);
  if (n == 1) return at(0);
  const double position = q * static_cast<double>(n - 1);
  const auto index = static_cast<size_t>(position);
  if (position == static_cast<double>(index)) return at(index);
  const double low = at(index), high = at(index + 1);
  return low + (high - low) * (position - static_cast<double>(index));
}

}  // namespace

std::vector<double> rolling_extreme(std::span<const double> x, const WindowBounds& b, int64_t min_periods,
                                    bool largest) {
  const size_t n = b.start.size();
  std::vector<double> out(n, kNaN);
  // Rows of the window's non-NaN values whose value no later row beats, best first: the front is the answer.
  std::deque<int64_t> candidates;
  int64_t start = 0, end = 0, nobs = 0;
  for (size_t i = 0; i < n; ++i) {
    for (; end < b.end[i]; ++end) {
      if (std::isnan(x[end])) continue;
      ++nobs;
      while (!candidates.empty() && (largest ? x[candidates.back()] <= x[end] : x[candidates.back()] >= x[end])) {
        candidates.pop_back();
      }
      candidates.push_back(end);
    }
    for (; start < b.start[i]; ++start) {
      if (!std::isnan(x[start])) --nobs;
    }
    while (!candidates.empty() && candidates.front() < start) candidates.pop_front();
    if (enough(nobs, min_periods)) out[i] = x[candidates.front()];
  }
  return out;
}

std::vector<double> rolling_rank(std::span<const double> x, const WindowBounds& b, int64_t min_periods, bool median,
                                 double q) {
  const size_t n = b.start.size();
  std::vector<double> out(n, kNaN);
  OrderTree window;
  int64_t start = 0, end = 0;
  for (size_t i = 0; i < n; ++i) {
    for (; end < b.end[i]; ++end) {
      if (!std::isnan(x[end])) window.insert({x[end], end});
    }
    for (; start < b.start[i]; ++start) {
      if (!std::isnan(x[start])) window.erase({x[start], start});
    }
    if (enough(static_cast<int64_t>(window.size()), min_periods)) out[i] = rank_value(window, median, q);
  }
  return out;
}

}  // namespace maas::features::timeseries
