// Seasonal decomposition by moving averages, as statsmodels 0.13's seasonal_decompose (two-sided filter): the
// centred moving average (2×m for an even period m) is the trend, the per-position mean of the detrended series,
// normalized, is the seasonal part, and what is left is the residual.
//
// Thread-safety: pure functions; no state.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace maas::features::timeseries {

enum class DecomposeModel { kAdditive, kMultiplicative };

struct DecomposeOptions {
  DecomposeModel model = DecomposeModel::kAdditive;
  int64_t period = 0;             // at least 2
  int64_t extrapolate_trend = 0;  // > 0: the trend's NaN ends are extrapolated by least squares over this many + 1
                                  // closest points; statsmodels' 'freq' is period - 1
};

struct Decomposition {
  std::vector<double> trend;
  std::vector<double> seasonal;
  std::vector<double> resid;
};

// INVALID_ARGUMENT when a value is not finite, a multiplicative series holds a value <= 0, or the series is shorter
// than two periods (statsmodels' ValueErrors).
Result<Decomposition> seasonal_decompose(std::span<const double> x, const DecomposeOptions& options);

}  // namespace maas::features::timeseries
