#include "features/timeseries/stl.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace maas::features::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One local-linear LOESS estimate at position `at` (1-based, may lie outside 1..n) from y[left-1 .. right-1] with
// tricube weights over the distance to the farthest point of that span (widened when `span` exceeds n), times the
// robustness weights when given. NaN when every weight is 0.
double loess_at(std::span<const double> y, int64_t span, double at, int64_t left, int64_t right,
                const double* robustness, std::vector<double>& w) {
  const auto n = static_cast<int64_t>(y.size());
  const double range = static_cast<double>(n) - 1.0;
  double h = std::max(at - static_cast<double>(left), static_cast<double>(right) - at);
  if (span > n) {
    const int64_t widen = (span - n) / 2;  // statsmodels' (len - n) // 2.0: a whole number of points
    h += static_cast<double>(widen);
  }
  const double near = 0.001 * h, far = 0.999 * h;
  double total = 0;
  for (int64_t j = left - 1; j < right; ++j) {
    w[j] = 0;
    const double r = std::fabs(static_cast<double>(j + 1) - at);
    if (r > far) continue;
    w[j] = r <= near ? 1.0 : std::pow(1.0 - std::pow(r / h, 3), 3);
    if (robustness != nullptr) w[j] *= robustness[j];
    total += w[j];
  }
  if (total <= 0) return kNaN;
  for (int64_t j = left - 1; j < right; ++j) w[j] /= total;
  if (h > 0) {
    // Degree 1: tilt the weights so that the weighted fit is a line through the weighted centre.
    double centre = 0;
    for (int64_t j = left - 1; j < right; ++j) centre += w[j] * static_cast<double>(j + 1);
    double slope = at - centre;
    double spread = 0;
    for (int64_t j = left - 1; j < right; ++j) {
      const double d = static_cast<double>(j + 1) - centre;
      spread += w[j] * d * d;
    }
    if (std::sqrt(spread) > 0.001 * range) {
      slope /= spread;
      for (int64_t j = left - 1; j < right; ++j) w[j] *= slope * (static_cast<double>(j + 1) - centre) + 1.0;
    }
  }
  double estimate = 0;
  for (int64_t j = left - 1; j < right; ++j) estimate += w[j] * y[j];
  return estimate;
}

// LOESS of span `span` at every position 1..n; a position with no weight keeps its value.
void loess_smooth(std::span<const double> y, int64_t span, const double* robustness, double* out,
                  std::vector<double>& w) {
  const auto n = static_cast<int64_t>(y.size());
  if (n < 2) {
    out[0] = y[0];
    return;
  }
  int64_t left = 1, right = std::min(span, n);
  const int64_t half = (span + 2) / 2;
  for (int64_t i = 0; i < n; ++i) {
    if (span < n && i + 1 > half && right != n) ++left, ++right;
    out[i] = loess_at(y, span, static_cast<double>(i + 1), left, right, robustness, w);
    if (std::isnan(out[i])) out[i] = y[i];
  }
}

// The running mean of `length` consecutive values: n - length + 1 values, summed as a running total.
std::vector<double> running_mean(std::span<const double> x, int64_t length) {
  const auto count = static_cast<int64_t>(x.size()) - length + 1;
  std::vector<double> out(count);
  const auto divisor = static_cast<double>(length);
  double sum = 0;
  for (int64_t i = 0; i < length; ++i) sum += x[i];
  out[0] = sum / divisor;
  for (int64_t j = 1; j < count; ++j) {
    sum += x[j + length - 1] - x[j - 1];
    out[j] = sum / divisor;
  }
  return out;
}

struct Settings {
  int64_t period, seasonal, trend, low_pass;
};

// The cycle-subseries of `detrended`, each smoothed and extended by one period at both ends: n + 2 * period values.
std::vector<double> smooth_cycle_subseries(std::span<const double> detrended, const Settings& s,
                                           const std::vector<double>* robustness, std::vector<double>& w) {
  const auto n = static_cast<int64_t>(detrended.size());
  std::vector<double> cycle(n + 2 * s.period);
  std::vector<double> sub, sub_weights, smoothed;
  for (int64_t j = 0; j < s.period; ++j) {
    const int64_t k = (n - (j + 1)) / s.period + 1;
    sub.resize(k);
    sub_weights.resize(k);
    for (int64_t i = 0; i < k; ++i) {
      sub[i] = detrended[i * s.period + j];
      if (robustness) sub_weights[i] = (*robustness)[i * s.period + j];
    }
    const double* rw = robustness ? sub_weights.data() : nullptr;
    smoothed.assign(k + 2, 0);
    loess_smooth(sub, s.seasonal, rw, smoothed.data() + 1, w);
    smoothed[0] = loess_at(sub, s.seasonal, 0, 1, std::min(s.seasonal, k), rw, w);
    if (std::isnan(smoothed[0])) smoothed[0] = smoothed[1];
    smoothed[k + 1] =
        loess_at(sub, s.seasonal, static_cast<double>(k + 1), std::max<int64_t>(1, k - s.seasonal + 1), k, rw, w);
    if (std::isnan(smoothed[k + 1])) smoothed[k + 1] = smoothed[k];
    for (int64_t m = 0; m < k + 2; ++m) cycle[m * s.period + j] = smoothed[m];
  }
  return cycle;
}

// One pass of STL's inner loop, `iterations` times: seasonal then trend, given the robustness weights (or none).
void inner_loop(std::span<const double> y, const Settings& s, int iterations, const std::vector<double>* robustness,
                StlResult& out) {
  const auto n = static_cast<int64_t>(y.size());
  std::vector<double> w(n + 2 * s.period), work(n), low(n);
  for (int it = 0; it < iterations; ++it) {
    for (int64_t i = 0; i < n; ++i) work[i] = y[i] - out.trend[i];
    const std::vector<double> cycle = smooth_cycle_subseries(work, s, robustness, w);
    // Low-pass filter of the cycle: moving averages of period, period and 3, then a LOESS of low_pass.
    const std::vector<double> filtered = running_mean(running_mean(running_mean(cycle, s.period), s.period), 3);
    loess_smooth(filtered, s.low_pass, nullptr, low.data(), w);
    for (int64_t i = 0; i < n; ++i) {
      out.seasonal[i] = cycle[s.period + i] - low[i];
      work[i] = y[i] - out.seasonal[i];
    }
    loess_smooth(work, s.trend, robustness ? robustness->data() : nullptr, out.trend.data(), w);
  }
}

// Bisquare weights of the residuals over six times their median absolute value.
void robustness_weights(std::span<const double> y, const StlResult& fit, std::vector<double>& weights) {
  const size_t n = y.size();
  for (size_t i = 0; i < n; ++i) weights[i] = std::fabs(y[i] - (fit.trend[i] + fit.seasonal[i]));
  std::vector<double> sorted = weights;
  std::sort(sorted.begin(), sorted.end());
  const double bound = 3.0 * (sorted[n / 2] + sorted[n - n / 2 - 1]);
  if (bound == 0) {
    std::fill(weights.begin(), weights.end(), 1.0);
    return;
  }
  for (double& r : weights) {
    if (r <= 0.001 * bound) {
      r = 1.0;
    } else if (r <= 0.999 * bound) {
      r = std::pow(1.0 - std::pow(r / bound, 2), 2);
    } else {
      r = 0.0;
    }
  }
}

bool odd_at_least_3(int64_t v) { return v >= 3 && v % 2 == 1; }

}  // namespace

Result<StlResult> stl_decompose(std::span<const double> y, const StlOptions& o) {
  Settings s{o.period, o.seasonal, o.trend, o.low_pass};
  if (s.period < 2) return invalid_argument("the period must be at least 2");
  if (!odd_at_least_3(s.seasonal)) return invalid_argument("seasonal must be an odd integer of at least 3");
  if (s.trend == 0) {
    // statsmodels 0.13's default (the original STL's advice): the smallest odd integer >= 1.5 p / (1 - 1.5 / ns).
    s.trend = static_cast<int64_t>(
        std::ceil(1.5 * static_cast<double>(s.period) / (1 - 1.5 / static_cast<double>(s.seasonal))));
    s.trend += s.trend % 2 == 0;
  }
  if (!odd_at_least_3(s.trend) || s.trend <= s.period) {
    return invalid_argument("trend must be an odd integer of at least 3 and above the period");
  }
  if (s.low_pass == 0) s.low_pass = s.period + 1 + ((s.period + 1) % 2 == 0);
  if (!odd_at_least_3(s.low_pass) || s.low_pass <= s.period) {
    return invalid_argument("low_pass must be an odd integer of at least 3 and above the period");
  }
  for (double v : y) {
    if (!std::isfinite(v)) return invalid_argument("STL does not handle missing values (NaN, inf)");
  }
  const auto n = static_cast<int64_t>(y.size());
  if (n < 2 * s.period) {
    return invalid_argument("STL needs 2 complete cycles: " + std::to_string(2 * s.period) +
                            " observations, and the series has " + std::to_string(n));
  }
  StlResult out;
  out.trend.assign(n, 0.0);
  out.seasonal.assign(n, 0.0);
  out.weights.assign(n, 1.0);
  const int inner = o.robust ? 2 : 5;
  const int outer = o.robust ? 15 : 0;
  inner_loop(y, s, inner, nullptr, out);
  for (int k = 0; k < outer; ++k) {
    robustness_weights(y, out, out.weights);
    inner_loop(y, s, inner, &out.weights, out);
  }
  out.resid.resize(n);
  for (int64_t i = 0; i < n; ++i) out.resid[i] = y[i] - out.seasonal[i] - out.trend[i];
  return out;
}

}  // namespace maas::features::timeseries
