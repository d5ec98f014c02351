// numpy's default argsort (kind="quicksort": introsort, median-of-three partitions, insertion sort up to 16
// elements, heapsort past the depth limit) for int64 values. It is not stable, and GroupKFold's fold of groups of
// equal size depends on the order it leaves them in, so the grouped folds use this one to equal scikit-learn's.
//
// Thread-safety: a pure function.
#pragma once

#include <cstdint>
#include <vector>

namespace maas::training::cv {

// The indices that sort `values` ascending, exactly as numpy 1.24's np.argsort(values) returns them.
std::vector<int64_t> numpy_argsort(const std::vector<int64_t>& values);

}  // namespace maas::training::cv
