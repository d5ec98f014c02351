// Cross-validation folds as scikit-learn 1.2's splitters make them: KFold, StratifiedKFold, GroupKFold and
// TimeSeriesSplit. With shuffle=False the test and training rows of each fold equal what their split() yields;
// with shuffle and a seed they equal it too (numpy's legacy RandomState, numpy_shuffle.h).
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace maas::training::cv {

enum class FoldStrategy { kKFold, kStratified, kGroup, kTimeSeries };

struct FoldOptions {
  FoldStrategy strategy = FoldStrategy::kKFold;
  int64_t n_splits = 5;
  bool shuffle = false;  // KFold and StratifiedKFold only
  uint32_t seed = 0;
  // TimeSeriesSplit's gap, test_size (0: rows / (n_splits + 1)) and max_train_size (0: no limit).
  int64_t gap = 0;
  int64_t test_size = 0;
  int64_t max_train_size = 0;
};

struct Fold {
  std::vector<size_t> train;  // ascending row indices
  std::vector<size_t> test;
};

// The folds of `rows` rows. `labels` (StratifiedKFold) and `groups` (GroupKFold: each row's group as its rank among
// the sorted distinct values, what np.unique's inverse gives) have one entry per row; other strategies ignore them.
// TimeSeriesSplit takes the rows as already in time order. INVALID_ARGUMENT with sklearn's reason when the rows
// cannot be split so (more folds than rows, classes or groups).
Result<std::vector<Fold>> make_folds(const FoldOptions& options, size_t rows, const std::vector<double>& labels,
                                     const std::vector<int64_t>& groups);

// "kfold", "stratified", "group", "timeseries".
Result<FoldStrategy> strategy_from_name(const std::string& name);
const char* strategy_name(FoldStrategy strategy);

}  // namespace maas::training::cv
