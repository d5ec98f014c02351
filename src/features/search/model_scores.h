// What a model says of a feature set: its k-fold cross-validated score with XGBoost (through libxgboost, nthread
// the job's CPU slots; scored by training/metrics: R² for regression, minus the log loss for classification, so
// higher is better) and XGBoost's gain importance of each feature. The folds are fixed once (rows shuffled by a
// seeded mt19937_64, then cut into `folds` parts as KFold cuts), so every feature set is scored on the same split.
//
// Thread-safety: one thread at a time (libxgboost's own threads are nthread).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "features/search/options.h"
#include "features/table.h"

namespace maas::features::search {

// The label as the models learn it: numbers for regression, class codes 0..classes-1 for classification.
struct Target {
  Task task = Task::kRegression;
  std::vector<double> values;    // regression
  std::vector<int64_t> classes;  // classification
  std::vector<std::string> class_names;
  size_t rows() const { return task == Task::kRegression ? values.size() : classes.size(); }
};

// From the label column: INVALID_ARGUMENT naming it for a missing value, a non-numeric regression label, or a
// classification label with fewer than two classes.
Result<Target> read_target(const Column& label, Task task);

class ModelScores {
 public:
  ModelScores(const SearchOptions& options, const Target& target, int nthread);

  // Per fold, the score of a model trained on the other folds. `features` are columns of rows().
  Result<std::vector<double>> cv_scores(std::span<const std::vector<double>* const> features) const;
  // XGBoost's gain (average gain of the splits on a feature) of a model trained on all rows; 0 where never split.
  Result<std::vector<double>> gain(std::span<const std::vector<double>* const> features) const;
  // "r2" or "neg_log_loss".
  const char* metric() const;

 private:
  const SearchOptions& options_;
  const Target& target_;
  int nthread_;
  std::vector<int> fold_of_;
};

}  // namespace maas::features::search
