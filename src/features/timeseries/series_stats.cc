#include "features/timeseries/series_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

namespace maas::features::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

double autocorrelation(std::span<const double> x, int64_t lag, bool drop_missing) {
  std::vector<double> values;
  values.reserve(x.size());
  for (double v : x) {
    if (std::isnan(v) && !drop_missing) return kNaN;
    if (!std::isnan(v)) values.push_back(v);
  }
  const auto n = static_cast<int64_t>(values.size());
  if (lag < 0 || lag >= n) return kNaN;
  double sum = 0;
  for (double v : values) sum += v;
  const double mean = sum / static_cast<double>(n);
  for (double& v : values) v -= mean;
  double c0 = 0, ck = 0;
  for (int64_t t = 0; t < n; ++t) c0 += values[t] * values[t];
  for (int64_t t = 0; t + lag < n; ++t) ck += values[t + lag] * values[t];
  return (ck / static_cast<double>(n)) / (c0 / static_cast<double>(n));
}

double dtw_distance(std::span<const double> a, std::span<const double> b, int64_t band) {
  const auto n = static_cast<int64_t>(a.size()), m = static_cast<int64_t>(b.size());
  if (n == 0 || m == 0) return kNaN;
  if (std::any_of(a.begin(), a.end(), [](double v) { return std::isnan(v); }) ||
      std::any_of(b.begin(), b.end(), [](double v) { return std::isnan(v); })) {
    return kNaN;
  }
  if (band >= 0 && std::llabs(n - m) > band) return kNaN;
  // Two rows of the cost matrix: previous (i - 1) and current (i).
  std::vector<double> previous(m + 1, kInf), current(m + 1, kInf);
  previous[0] = 0;
  for (int64_t i = 1; i <= n; ++i) {
    std::fill(current.begin(), current.end(), kInf);
    const int64_t lo = band < 0 ? 1 : std::max<int64_t>(1, i - band);
    const int64_t hi = band < 0 ? m : std::min<int64_t>(m, i + band);
    for (int64_t j = lo; j <= hi; ++j) {
      const double best = std::min({previous[j], current[j - 1], previous[j - 1]});
      current[j] = std::abs(a[i - 1] - b[j - 1]) + best;
    }
    std::swap(previous, current);
  }
  return previous[m];
}

}  // namespace maas::features::timeseries
