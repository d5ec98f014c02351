// The numeric routines feature steps share, written to agree with numpy 1.24 (what scikit-learn 1.2 calls): sums,
// linear percentiles, medians, linspace and Python's float repr. Pure functions; no threading.
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

namespace maas::features {

// The sum of the values that are not NaN (np.nansum), compensated (Neumaier) so that it agrees with numpy's
// pairwise sum to well under 1e-12 relative.
double nan_sum(std::span<const double> values);
// np.sum of a contiguous float64 array, bit for bit: pairwise summation (8 accumulators, blocks of 128) over
// chunks of 8192 values (numpy's reduction buffer). Where an optimizer compares sums (PowerTransformer's lambda),
// only the same bits give the same answer.
double numpy_sum(std::span<const double> values);
// StandardScaler's statistics of the values that are not NaN: the mean, and the population standard deviation by
// sklearn's corrected two-pass formula, 1 where sklearn's error bound says the column is constant.
std::pair<double, double> standard_scale(std::span<const double> values);
// np.var of all values, bit for bit: numpy_sum(x) / n, then numpy_sum of the squared deviations / n.
double variance(std::span<const double> values);
// The values that are not NaN, ascending.
std::vector<double> sorted_present(std::span<const double> values);
// np.percentile(sorted, percent) with method "linear" on values sorted ascending (not empty): the virtual index
// (n - 1) * percent / 100 and numpy's two-sided lerp, so results are bit-equal to numpy's.
double percentile(std::span<const double> sorted, double percent);
// np.median of values sorted ascending (not empty): the middle value, or the mean of the two middle ones.
double median(std::span<const double> sorted);
// np.linspace(start, stop, num) with the endpoint: start + i * step, the last value exactly stop.
std::vector<double> linspace(double start, double stop, int num);
// Python's repr(float) ("1.0", "0.1", "1e-05", "1e+16", "nan", "inf"), as str() of a category name.
std::string python_float_repr(double value);
// A number as a category's name: "3" for a whole number of an integral column, else Python's float repr.
std::string number_name(double value, bool integral);

}  // namespace maas::features
