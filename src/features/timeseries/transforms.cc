#include "features/timeseries/transforms.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace maas::features::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The constants of pandas' ewm kernels.
struct EwmWeights {
  int64_t min_periods;
  double old_wt_factor;  // 1 - alpha
  double new_wt;         // 1 when adjusting, else alpha

  EwmWeights(double com, const EwmOptions& o) {
    const double alpha = 1. / (1. + com);
    min_periods = std::max<int64_t>(o.min_periods, 1);
    old_wt_factor = 1. - alpha;
    new_wt = o.adjust ? 1. : alpha;
  }
};

}  // namespace

std::vector<double> lag(std::span<const double> x, int64_t periods) {
  const auto n = static_cast<int64_t>(x.size());
  std::vector<double> out(x.size(), kNaN);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t from = i - periods;
    if (from >= 0 && from < n) out[i] = x[from];
  }
  return out;
}

std::vector<double> diff(std::span<const double> x, int64_t periods) {
  const auto n = static_cast<int64_t>(x.size());
  std::vector<double> out(x.size(), kNaN);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t from = i - periods;
    if (from >= 0 && from < n) out[i] = x[i] - x[from];
  }
  return out;
}

Result<double> center_of_mass(const EwmOptions& o) {
  const int set = (o.com >= 0) + (o.span >= 0) + (o.halflife >= 0) + (o.alpha >= 0);
  if (set != 1) return invalid_argument("give exactly one of com, span, halflife, alpha");
  if (o.com >= 0) return o.com;
  if (o.span >= 0) {
    if (o.span < 1) return invalid_argument("span must be at least 1");
    return (o.span - 1) / 2;
  }
  if (o.halflife >= 0) {
    if (o.halflife <= 0) return invalid_argument("halflife must be above 0");
    const double decay = 1 - std::exp(std::log(0.5) / o.halflife);
    return 1 / decay - 1;
  }
  if (o.alpha <= 0 || o.alpha > 1) return invalid_argument("alpha must be in (0, 1]");
  return 1 / o.alpha - 1;
}

// pandas' ewm kernel (normalize=True), one group.
std::vector<double> ewm_mean(std::span<const double> x, double com, const EwmOptions& o) {
  std::vector<double> out(x.size(), kNaN);
  if (x.empty()) return out;
  const EwmWeights w(com, o);
  const int64_t minp = w.min_periods;
  const double old_wt_factor = w.old_wt_factor, new_wt = w.new_wt;
  double weighted = x[0];
  int64_t nobs = std::isnan(weighted) ? 0 : 1;
  out[0] = nobs >= minp ? weighted : kNaN;
  double old_wt = 1.;
  for (size_t i = 1; i < x.size(); ++i) {
    const double cur = x[i];
    const bool observed = !std::isnan(cur);
    nobs += observed;
    if (!std::isnan(weighted)) {
      if (observed || !o.ignore_na) {
        old_wt *= old_wt_factor;
        if (observed) {
          if (weighted != cur) {
            weighted = old_wt * weighted + new_wt * cur;
            weighted /= (old_wt + new_wt);
          }
          old_wt = o.adjust ? old_wt + new_wt : 1.;
        }
      }
    } else if (observed) {
      weighted = cur;
    }
    out[i] = nobs >= minp ? weighted : kNaN;
  }
  return out;
}

// pandas' ewmcov(x, x) (its var), then the zero-clipped square root.
std::vector<double> ewm_std(std::span<const double> x, double com, const EwmOptions& o) {
  std::vector<double> out(x.size(), kNaN);
  if (x.empty()) return out;
  const EwmWeights w(com, o);
  const int64_t minp = w.min_periods;
  const double old_wt_factor = w.old_wt_factor, new_wt = w.new_wt;
  double mean = x[0];
  int64_t nobs = std::isnan(mean) ? 0 : 1;
  auto finish = [&](double cov, double sum_wt, double sum_wt2) {
    if (nobs < minp) return kNaN;
    double var = cov;
    if (!o.bias) {
      const double numerator = sum_wt * sum_wt;
      const double denominator = numerator - sum_wt2;
      var = denominator > 0 ? (numerator / denominator) * cov : kNaN;
    }
    return var < 0 ? 0.0 : std::sqrt(var);
  };
  out[0] = nobs >= minp ? (o.bias ? 0.0 : kNaN) : kNaN;
  double cov = 0., sum_wt = 1., sum_wt2 = 1., old_wt = 1.;
  for (size_t i = 1; i < x.size(); ++i) {
    const double cur = x[i];
    const bool observed = !std::isnan(cur);
    nobs += observed;
    if (!std::isnan(mean)) {
      if (observed || !o.ignore_na) {
        sum_wt *= old_wt_factor;
        sum_wt2 *= old_wt_factor * old_wt_factor;
        old_wt *= old_wt_factor;
        if (observed) {
          const double old_mean = mean;
          if (mean != cur) mean = ((old_wt * old_mean) + (new_wt * cur)) / (old_wt + new_wt);
          cov =
              ((old_wt * (cov + ((old_mean - mean) * (old_mean - mean)))) + (new_wt * ((cur - mean) * (cur - mean)))) /
              (old_wt + new_wt);
          sum_wt += new_wt;
          sum_wt2 += new_wt * new_wt;
          old_wt += new_wt;
          if (!o.adjust) {
            sum_wt /= old_wt;
            sum_wt2 /= (old_wt * old_wt);
            old_wt = 1.;
          }
        }
      }
    } else if (observed) {
      mean = cur;
    }
    out[i] = finish(cov, sum_wt, sum_wt2);
  }
  return out;
}

}  // namespace maas::features::timeseries
