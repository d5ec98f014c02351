// Row-wise features of one entity's series in time order: lags and differences (pandas' shift(periods) and
// diff(periods)) and exponentially weighted means and standard deviations (pandas 1.5's ewm, its arithmetic).
//
// Thread-safety: pure functions; no state.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace maas::features::timeseries {

// x shifted by `periods` rows (negative: leads); NaN where no row is there.
std::vector<double> lag(std::span<const double> x, int64_t periods);
// x[i] - x[i - periods] (negative periods: x[i] - x[i + |periods|]); NaN where no row is there.
std::vector<double> diff(std::span<const double> x, int64_t periods);

// Exactly one of com, span, halflife, alpha is set (pandas' get_center_of_mass).
struct EwmOptions {
  double com = -1;
  double span = -1;
  double halflife = -1;
  double alpha = -1;
  bool adjust = true;
  bool ignore_na = false;
  int64_t min_periods = 0;
  bool bias = false;  // std: pandas' default is the unbiased (bias=False) variance
};

// The centre of mass the options give, or INVALID_ARGUMENT naming the one out of range (com >= 0, span >= 1,
// halflife > 0, 0 < alpha <= 1) or saying that not exactly one is set.
Result<double> center_of_mass(const EwmOptions& options);
// pandas' ewm(...).mean() / .std(); `com` from center_of_mass().
std::vector<double> ewm_mean(std::span<const double> x, double com, const EwmOptions& options);
std::vector<double> ewm_std(std::span<const double> x, double com, const EwmOptions& options);

}  // namespace maas::features::timeseries
