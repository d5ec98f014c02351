// Season-trend decomposition by LOESS (STL: Cleveland, Cleveland, McRae and Terpenning, 1990), with the choices
// of statsmodels 0.13's STL: local-linear smoothers (degree 1), every point smoothed (no jumps), the default
// smoother lengths, 5 inner and no outer iterations, or 2 inner and 15 outer ones with robustness weights.
//
// Thread-safety: pure function; no state.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace maas::features::timeseries {

struct StlOptions {
  int64_t period = 0;    // at least 2
  int64_t seasonal = 7;  // odd, at least 3
  int64_t trend = 0;     // 0: the smallest odd integer >= 1.5 period / (1 - 1.5 / seasonal); else odd, >= 3, > period
  int64_t low_pass = 0;  // 0: the smallest odd integer above period; else odd, at least 3, above period
  bool robust = false;
};

struct StlResult {
  std::vector<double> trend;
  std::vector<double> seasonal;
  std::vector<double> resid;
  std::vector<double> weights;  // the robustness weights (all 1 unless robust)
};

// INVALID_ARGUMENT for a parameter statsmodels refuses, a value that is not finite, or fewer than two periods.
Result<StlResult> stl_decompose(std::span<const double> y, const StlOptions& options);

}  // namespace maas::features::timeseries
