#include "features/numeric.h"

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace maas::features {

double nan_sum(std::span<const double> values) {
  double sum = 0, compensation = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    const double t = sum + v;
    compensation += std::fabs(sum) >= std::fabs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
  }
  return sum + compensation;
}

namespace {

// numpy's pairwise_sum_DOUBLE.
double pairwise_sum(const double* a, size_t n) {
  if (n < 8) {
    double res = 0.;
    for (size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (size_t j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

}  // namespace

double numpy_sum(std::span<const double> values) {
  constexpr size_t kBuffer = 8192;
  double sum = 0.;
  for (size_t start = 0; start < values.size(); start += kBuffer) {
    sum += pairwise_sum(values.data() + start, std::min(kBuffer, values.size() - start));
  }
  return sum;
}

std::pair<double, double> standard_scale(std::span<const double> x) {
  // sklearn's _incremental_mean_and_var from zero: the mean, then the corrected two-pass population variance.
  double n = 0;
  for (double v : x) n += std::isnan(v) ? 0 : 1;
  const double mean = nan_sum(x) / n;
  std::vector<double> deviation(x.size()), squared(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    deviation[i] = x[i] - mean;
    squared[i] = deviation[i] * deviation[i];
  }
  const double correction = nan_sum(deviation);
  const double var = (nan_sum(squared) - correction * correction / n) / n;
  // _is_constant_feature: a variance within the two-pass algorithm's error bound is zero, so the scale is 1.
  const double upper_bound = n * DBL_EPSILON * var + (n * mean * DBL_EPSILON) * (n * mean * DBL_EPSILON);
  return {mean, var <= upper_bound ? 1.0 : std::sqrt(var)};
}

double variance(std::span<const double> x) {
  const double n = static_cast<double>(x.size());
  const double mean = numpy_sum(x) / n;
  std::vector<double> squared(x.size());
  for (size_t i = 0; i < x.size(); ++i) squared[i] = (x[i] - mean) * (x[i] - mean);
  return numpy_sum(squared) / n;
}

std::vector<double> sorted_present(std::span<const double> values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (double v : values) {
    if (!std::isnan(v)) out.push_back(v);
  }
  std::sort(out.begin(), out.end());
  return out;
}

double percentile(std::span<const double> sorted, double percent) {
  const double quantile = percent / 100.0;
  const double virtual_index = static_cast<double>(sorted.size() - 1) * quantile;
  const double last = static_cast<double>(sorted.size() - 1);
  const double previous = std::clamp(std::floor(virtual_index), 0.0, last);
  const double next = std::clamp(std::floor(virtual_index) + 1, 0.0, last);
  const double gamma = virtual_index - std::floor(virtual_index);
  const double a = sorted[static_cast<size_t>(previous)];
  const double b = sorted[static_cast<size_t>(next)];
  const double diff = b - a;
  // numpy's _lerp: from a below the middle, from b above it (monotone and exact at both ends).
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

double median(std::span<const double> sorted) {
  const size_t n = sorted.size();
  if (n % 2 == 1) return sorted[n / 2];
  return (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

std::vector<double> linspace(double start, double stop, int num) {
  std::vector<double> out(static_cast<size_t>(num));
  const double step = (stop - start) / (num - 1);
  for (int i = 0; i < num; ++i) out[static_cast<size_t>(i)] = static_cast<double>(i) * step + start;
  out.back() = stop;
  return out;
}

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  // The shortest round-trip digits, then Python's layout: fixed for 1e-4 <= |v| < 1e16, else d.ddde+XX.
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string text(buf, end);
  const bool negative = text.front() == '-';
  if (negative) text.erase(0, 1);
  const size_t e = text.find('e');
  const int exponent = std::atoi(text.c_str() + e + 1);
  std::string digits = text.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  const int point = exponent + 1;  // digits are 0.d1d2... * 10^point
  std::string out = negative ? "-" : "";
  if (point > 16 || point <= -4) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += exponent < 0 ? "e-" : "e+";
    const int magnitude = std::abs(exponent);
    if (magnitude < 10) out += "0";
    out += std::to_string(magnitude);
  } else if (point <= 0) {
    out += "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    out += digits + std::string(static_cast<size_t>(point) - digits.size(), '0') + ".0";
  } else {
    out += digits.substr(0, static_cast<size_t>(point)) + "." + digits.substr(static_cast<size_t>(point));
  }
  return out;
}

std::string number_name(double value, bool integral) {
  if (integral && std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 9.0e15) {
    return std::to_string(static_cast<long long>(value));
  }
  return python_float_repr(value);
}

}  // namespace maas::features
