#include "training/cv/folds.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "training/cv/numpy_argsort.h"
#include "training/cv/numpy_shuffle.h"

namespace maas::training::cv {
namespace {

// Folds from each row's test fold: the training rows of a fold are all the others.
std::vector<Fold> folds_of(const std::vector<int64_t>& test_fold, int64_t n_splits) {
  std::vector<Fold> folds(static_cast<size_t>(n_splits));
  for (size_t row = 0; row < test_fold.size(); ++row) {
    for (int64_t f = 0; f < n_splits; ++f) {
      (test_fold[row] == f ? folds[f].test : folds[f].train).push_back(row);
    }
  }
  return folds;
}

// KFold: contiguous test folds over the (shuffled) row order, the first rows % n_splits one row longer.
std::vector<int64_t> kfold(const FoldOptions& options, size_t rows) {
  std::vector<size_t> order(rows);
  std::iota(order.begin(), order.end(), size_t{0});
  if (options.shuffle) NumpyRandomState(options.seed).shuffle(order);
  std::vector<int64_t> test_fold(rows);
  const size_t n = static_cast<size_t>(options.n_splits);
  size_t start = 0;
  for (size_t f = 0; f < n; ++f) {
    const size_t size = rows / n + (f < rows % n ? 1 : 0);
    for (size_t i = start; i < start + size; ++i) test_fold[order[i]] = static_cast<int64_t>(f);
    start += size;
  }
  return test_fold;
}

// StratifiedKFold (1.2): classes numbered by first appearance; the sorted class codes dealt round-robin give each
// fold its count per class, and each class's rows take their folds in row order (shuffled with the seed).
Result<std::vector<int64_t>> stratified(const FoldOptions& options, const std::vector<double>& labels) {
  std::map<double, size_t> first_seen;
  for (size_t row = 0; row < labels.size(); ++row) first_seen.try_emplace(labels[row], row);
  std::vector<std::pair<size_t, double>> by_appearance;
  by_appearance.reserve(first_seen.size());
  for (const auto& [label, row] : first_seen) by_appearance.emplace_back(row, label);
  std::sort(by_appearance.begin(), by_appearance.end());
  std::map<double, size_t> code;
  for (size_t k = 0; k < by_appearance.size(); ++k) code[by_appearance[k].second] = k;
  const size_t classes = code.size();
  std::vector<size_t> encoded(labels.size()), counts(classes, 0);
  for (size_t row = 0; row < labels.size(); ++row) counts[encoded[row] = code[labels[row]]]++;
  const size_t n = static_cast<size_t>(options.n_splits);
  if (std::all_of(counts.begin(), counts.end(), [n](size_t c) { return c < n; })) {
    return invalid_argument("cv.folds=" + std::to_string(n) +
                            " cannot be greater than the number of rows in each class");
  }
  std::vector<size_t> sorted = encoded;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::vector<size_t>> allocation(n, std::vector<size_t>(classes, 0));
  for (size_t i = 0; i < sorted.size(); ++i) allocation[i % n][sorted[i]]++;
  NumpyRandomState random(options.seed);
  std::vector<int64_t> test_fold(labels.size());
  for (size_t k = 0; k < classes; ++k) {
    std::vector<int64_t> folds_for_class;
    for (size_t f = 0; f < n; ++f) folds_for_class.insert(folds_for_class.end(), allocation[f][k], int64_t(f));
    if (options.shuffle) random.shuffle(folds_for_class);
    size_t next = 0;
    for (size_t row = 0; row < labels.size(); ++row) {
      if (encoded[row] == k) test_fold[row] = folds_for_class[next++];
    }
  }
  return test_fold;
}

// GroupKFold (1.2): groups from the largest down (np.argsort of their sizes, reversed: numpy's own unstable order
// for groups of equal size), each to the fold with the fewest rows so far (the first such fold).
Result<std::vector<int64_t>> grouped(const FoldOptions& options, const std::vector<int64_t>& groups) {
  const int64_t n_groups = groups.empty() ? 0 : *std::max_element(groups.begin(), groups.end()) + 1;
  if (options.n_splits > n_groups) {
    return invalid_argument("cv.folds=" + std::to_string(options.n_splits) +
                            " cannot be greater than the number of groups (" + std::to_string(n_groups) + ")");
  }
  std::vector<int64_t> size(static_cast<size_t>(n_groups), 0);
  for (int64_t g : groups) size[g]++;
  std::vector<int64_t> order = numpy_argsort(size);
  std::reverse(order.begin(), order.end());
  std::vector<int64_t> fold_rows(static_cast<size_t>(options.n_splits), 0), group_fold(size.size(), 0);
  for (int64_t g : order) {
    const size_t lightest = std::min_element(fold_rows.begin(), fold_rows.end()) - fold_rows.begin();
    fold_rows[lightest] += size[g];
    group_fold[g] = static_cast<int64_t>(lightest);
  }
  std::vector<int64_t> test_fold(groups.size());
  for (size_t row = 0; row < groups.size(); ++row) test_fold[row] = group_fold[groups[row]];
  return test_fold;
}

// TimeSeriesSplit (1.2): n_splits test windows at the end of the rows; each trains on the rows before it (less the
// gap, at most max_train_size of them).
Result<std::vector<Fold>> time_series(const FoldOptions& options, size_t rows) {
  const int64_t n = static_cast<int64_t>(rows);
  const int64_t test_size = options.test_size > 0 ? options.test_size : n / (options.n_splits + 1);
  if (options.n_splits + 1 > n) {
    return invalid_argument("cv.folds=" + std::to_string(options.n_splits) + " needs more than " +
                            std::to_string(options.n_splits) + " rows for a time-series split");
  }
  if (n - options.gap - test_size * options.n_splits <= 0) {
    return invalid_argument("too few rows (" + std::to_string(n) + ") for " + std::to_string(options.n_splits) +
                            " time-series folds of " + std::to_string(test_size) + " rows with a gap of " +
                            std::to_string(options.gap));
  }
  std::vector<Fold> folds;
  for (int64_t start = n - options.n_splits * test_size; start < n; start += test_size) {
    const int64_t train_end = start - options.gap;
    const int64_t train_begin =
        options.max_train_size > 0 && options.max_train_size < train_end ? train_end - options.max_train_size : 0;
    Fold fold;
    for (int64_t row = train_begin; row < train_end; ++row) fold.train.push_back(static_cast<size_t>(row));
    for (int64_t row = start; row < std::min(start + test_size, n); ++row) fold.test.push_back(size_t(row));
    folds.push_back(std::move(fold));
  }
  return folds;
}

}  // namespace

Result<std::vector<Fold>> make_folds(const FoldOptions& options, size_t rows, const std::vector<double>& labels,
                                     const std::vector<int64_t>& groups) {
  if (options.n_splits < 2) return invalid_argument("cv.folds must be at least 2");
  switch (options.strategy) {
    case FoldStrategy::kTimeSeries:
      return time_series(options, rows);
    case FoldStrategy::kGroup: {
      if (groups.size() != rows) return internal_error("a group per row is missing");
      MAAS_ASSIGN_OR_RETURN(std::vector<int64_t> test_fold, grouped(options, groups));
      return folds_of(test_fold, options.n_splits);
    }
    case FoldStrategy::kStratified: {
      if (labels.size() != rows) return internal_error("a label per row is missing");
      if (options.n_splits > static_cast<int64_t>(rows)) break;
      MAAS_ASSIGN_OR_RETURN(std::vector<int64_t> test_fold, stratified(options, labels));
      return folds_of(test_fold, options.n_splits);
    }
    case FoldStrategy::kKFold:
      if (options.n_splits > static_cast<int64_t>(rows)) break;
      return folds_of(kfold(options, rows), options.n_splits);
  }
  return invalid_argument("cv.folds=" + std::to_string(options.n_splits) +
                          " cannot be greater than the number of rows (" + std::to_string(rows) + ")");
}

Result<FoldStrategy> strategy_from_name(const std::string& name) {
  for (FoldStrategy s :
       {FoldStrategy::kKFold, FoldStrategy::kStratified, FoldStrategy::kGroup, FoldStrategy::kTimeSeries}) {
    if (name == strategy_name(s)) return s;
  }
  return invalid_argument("cv.strategy '" + name + "' is not one of kfold, stratified, group, timeseries");
}

const char* strategy_name(FoldStrategy strategy) {
  switch (strategy) {
    case FoldStrategy::kKFold:
      return "kfold";
    case FoldStrategy::kStratified:
      return "stratified";
    case FoldStrategy::kGroup:
      return "group";
    case FoldStrategy::kTimeSeries:
      return "timeseries";
  }
  return "kfold";
}

}  // namespace maas::training::cv
