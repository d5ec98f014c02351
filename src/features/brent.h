// scipy 1.10's scalar minimizer as scikit-learn's PowerTransformer calls it: optimize.brent(func, brack=(a, b)),
// the same bracket search (golden ratio 1.618034, grow limit 110, 1000 steps) and Brent's method (tol 1.48e-8,
// 500 iterations), step for step, so that the minimizer agrees with scipy's. Pure function; no threading.
#pragma once

#include <functional>

#include "common/status.h"

namespace maas::features {

// The x that brent finds for `func` from the bracket start (xa, xb). INVALID_ARGUMENT when no bracket is found in
// 1000 steps (scipy's "Too many iterations") or the function is NaN throughout.
Result<double> brent_minimize(const std::function<double(double)>& func, double xa, double xb);

}  // namespace maas::features
