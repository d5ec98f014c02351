// RAII over libxgboost's C API for training: a DMatrix made from a TrainingTable and a Booster that trains,
// evaluates, predicts and saves itself. Every failure is a Status carrying libxgboost's own message.
//
// Thread-safety: one thread at a time per object (libxgboost's own threads are its nthread parameter).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "training/xgboost/training_table.h"

namespace maas::training {

class DMatrix {
 public:
  // Features (named, string columns typed categorical), label, weights and query groups of `table`.
  static Result<DMatrix> from_table(const TrainingTable& table);
  void* handle() const { return handle_.get(); }

 private:
  std::shared_ptr<void> handle_;
};

class Booster {
 public:
  // A booster that caches predictions for `matrices` (the training set first, as xgboost.train does).
  static Result<Booster> create(const std::vector<const DMatrix*>& matrices);
  Status set_param(const std::string& name, const std::string& value);
  // Feature names and types (q, c) saved with the model, as xgboost.train copies them from the training matrix.
  Status describe_features(const TrainingTable& table);
  Status load(std::string_view model_bytes);
  // "json" or "ubj".
  Result<std::string> save(const char* format) const;
  Status update(int round, const DMatrix& train);
  // libxgboost's line: "[round]\tname-metric:value\t...".
  Result<std::string> evaluate(int round, const std::vector<const DMatrix*>& matrices,
                               const std::vector<std::string>& names);
  Result<int> boosted_rounds() const;
  // A booster of the first `rounds` rounds only (early stopping's best model).
  Result<Booster> first_rounds(int rounds) const;
  // Predictions (probabilities for classifiers), row-major, with the number of columns; with `rounds`, those of
  // the first `rounds` rounds only (xgboost's iteration_range=(0, rounds); 0: all).
  Result<std::vector<double>> predict(const DMatrix& matrix, size_t* columns, int rounds = 0) const;
  // xgboost's get_score(importance_type=`type`) ("gain", "total_gain", "weight", ...): a score per feature the
  // trees split on, by feature name; features never split on are absent.
  Result<std::vector<std::pair<std::string, double>>> feature_scores(const std::string& type) const;

 private:
  std::shared_ptr<void> handle_;
};

// libxgboost's last error without its time stamp, source line and stack trace.
std::string xgboost_last_error();

}  // namespace maas::training
