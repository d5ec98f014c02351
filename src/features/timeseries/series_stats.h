// Whole-series features of one entity, one value per entity: the autocorrelation at a lag (statsmodels 0.13's
// acf, adjusted=False) and the dynamic time warping distance to a reference series within a Sakoe-Chiba band.
//
// Thread-safety: pure functions; no state.
#pragma once

#include <cstdint>
#include <span>

namespace maas::features::timeseries {

// acf(x)[lag] with adjusted=False: sum_t (x_t - mean)(x_{t+lag} - mean) / sum_t (x_t - mean)^2. `drop_missing`
// false is statsmodels' missing='none' (any NaN gives NaN); true is missing='drop' (NaNs removed first). NaN when
// lag >= the number of values.
double autocorrelation(std::span<const double> x, int64_t lag, bool drop_missing);

// The least total |a_i - b_j| over warping paths from (0, 0) to (n-1, m-1) that step by (1,0), (0,1) or (1,1) and
// keep |i - j| <= band (band < 0: no band). NaN when a series is empty, holds a NaN, or the band admits no path
// (|n - m| > band).
double dtw_distance(std::span<const double> a, std::span<const double> b, int64_t band);

}  // namespace maas::features::timeseries
