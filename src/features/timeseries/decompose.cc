#include "features/timeseries/decompose.h"

#include <cmath>
#include <limits>
#include <string>

namespace maas::features::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// statsmodels' convolution_filter(x, filt, nsides=2): the filter centred on each row, NaN where it does not fit.
std::vector<double> centered_moving_average(std::span<const double> x, int64_t period) {
  std::vector<double> filter;
  if (period % 2 == 0) {
    filter.assign(period + 1, 1.0 / static_cast<double>(period));
    filter.front() = filter.back() = 0.5 / static_cast<double>(period);
  } else {
    filter.assign(period, 1.0 / static_cast<double>(period));
  }
  const auto n = static_cast<int64_t>(x.size()), width = static_cast<int64_t>(filter.size());
  const int64_t head = (width + 1) / 2 - 1;
  std::vector<double> trend(x.size(), kNaN);
  for (int64_t i = head; i + width - head <= n; ++i) {
    double sum = 0;
    for (int64_t k = 0; k < width; ++k) sum += filter[k] * x[i - head + k];
    trend[i] = sum;
  }
  return trend;
}

// numpy.linalg.lstsq of y on [i, 1] over rows [from, to): slope and intercept (the minimum-norm answer for one row).
std::pair<double, double> least_squares_line(const std::vector<double>& y, int64_t from, int64_t to) {
  const auto m = static_cast<double>(to - from);
  if (to - from == 1) {
    const auto i = static_cast<double>(from);
    return {i * y[from] / (i * i + 1), y[from] / (i * i + 1)};
  }
  double mean_i = 0, mean_y = 0;
  for (int64_t i = from; i < to; ++i) mean_i += static_cast<double>(i), mean_y += y[i];
  mean_i /= m;
  mean_y /= m;
  double sxy = 0, sxx = 0;
  for (int64_t i = from; i < to; ++i) {
    const double di = static_cast<double>(i) - mean_i;
    sxy += di * (y[i] - mean_y);
    sxx += di * di;
  }
  const double slope = sxy / sxx;
  return {slope, mean_y - slope * mean_i};
}

// statsmodels' _extrapolate_trend: the NaN ends replaced by lines fitted to the `points` closest defined values.
void extrapolate_trend(std::vector<double>& trend, int64_t points) {
  const auto n = static_cast<int64_t>(trend.size());
  int64_t front = 0, back = n - 1;
  while (front < n && std::isnan(trend[front])) ++front;
  while (back >= 0 && std::isnan(trend[back])) --back;
  if (front > back) return;
  const int64_t front_last = std::min(front + points, back);
  const int64_t back_first = std::max(front, back - points);
  if (front_last > front) {
    const auto [k, c] = least_squares_line(trend, front, front_last);
    for (int64_t i = 0; i < front; ++i) trend[i] = static_cast<double>(i) * k + c;
  }
  if (back > back_first) {
    const auto [k, c] = least_squares_line(trend, back_first, back);
    for (int64_t i = back + 1; i < n; ++i) trend[i] = static_cast<double>(i) * k + c;
  }
}

}  // namespace

Result<Decomposition> seasonal_decompose(std::span<const double> x, const DecomposeOptions& options) {
  const int64_t period = options.period;
  const bool multiplicative = options.model == DecomposeModel::kMultiplicative;
  if (period < 2) return invalid_argument("the period must be at least 2");
  for (double v : x) {
    if (!std::isfinite(v)) return invalid_argument("seasonal decomposition does not handle missing values (NaN, inf)");
    if (multiplicative && v <= 0) {
      return invalid_argument("multiplicative seasonality is not appropriate for zero and negative values");
    }
  }
  const auto n = static_cast<int64_t>(x.size());
  if (n < 2 * period) {
    return invalid_argument("seasonal decomposition needs 2 complete cycles: " + std::to_string(2 * period) +
                            " observations, and the series has " + std::to_string(n));
  }
  Decomposition out;
  out.trend = centered_moving_average(x, period);
  if (options.extrapolate_trend > 0) extrapolate_trend(out.trend, options.extrapolate_trend + 1);
  std::vector<double> detrended(x.size());
  for (int64_t i = 0; i < n; ++i) detrended[i] = multiplicative ? x[i] / out.trend[i] : x[i] - out.trend[i];
  // The mean of each position in the period, NaNs ignored (pandas' nanmean), then normalized.
  std::vector<double> averages(period, kNaN);
  double total = 0;
  for (int64_t p = 0; p < period; ++p) {
    double sum = 0;
    int64_t count = 0;
    for (int64_t i = p; i < n; i += period) {
      if (!std::isnan(detrended[i])) sum += detrended[i], ++count;
    }
    averages[p] = count > 0 ? sum / static_cast<double>(count) : kNaN;
    total += averages[p];
  }
  const double mean = total / static_cast<double>(period);
  for (double& a : averages) a = multiplicative ? a / mean : a - mean;
  out.seasonal.resize(x.size());
  out.resid.resize(x.size());
  for (int64_t i = 0; i < n; ++i) {
    out.seasonal[i] = averages[i % period];
    out.resid[i] = multiplicative ? x[i] / out.seasonal[i] / out.trend[i] : detrended[i] - out.seasonal[i];
  }
  return out;
}

}  // namespace maas::features::timeseries
