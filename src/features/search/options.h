// What a feature search is asked to do (docs/FEATURES.md, "Feature search"): the label, the task, the group keys,
// the depth of synthesis, the cross-validation and the budget, read strictly from a features.search job's params.
// Plain data; parse_search_options is a pure function, used by maasd's validate and again by the executor.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace maas::features::search {

enum class Task { kRegression, kClassification };

struct SearchOptions {
  std::string label;
  Task task = Task::kRegression;
  // Columns to group by (text or integral columns); empty: every text column but the label.
  std::vector<std::string> keys;
  int depth = 2;  // 1: pairwise arithmetic and aggregations of raw columns; 2: also aggregations of products and
                  // ratios of a column to its group mean
  int folds = 5;
  double tolerance = 0.002;  // the least CV score gain a kept feature must add
  // Candidates whose estimated mutual information with the label is at most this are dropped before any model
  // (the kNN estimate of independent columns scatters around 0 by about this much).
  double min_mutual_info = 0.02;
  uint64_t seed = 0;  // folds' shuffle and XGBoost's seed
  // Budget.
  size_t max_candidates = 500;  // candidates generated (before pruning)
  double max_seconds = 300;     // wall time of the whole search
  size_t max_features = 10;     // features kept (forward selection rounds)
  size_t screen = 20;           // candidates that reach forward selection after MI and importance
  size_t mi_rows = 2000;        // rows the mutual information estimator reads (the first ones)
  // The model forward selection cross-validates (XGBoost).
  int trees = 50;
  int max_depth = 4;
  double eta = 0.3;
};

const char* task_name(Task task);

// From the job's params: label (required), task ("regression" or "classification", required), keys, depth,
// folds, tolerance, min_mutual_info, seed, budget {max_candidates, max_seconds, max_features, screen, mi_rows}, model
// {trees, max_depth, eta}. INVALID_ARGUMENT names the field; a budget of 0 is refused.
Result<SearchOptions> parse_search_options(const nlohmann::json& params);

// The fields parse_search_options reads, for a kind's check of unknown fields.
inline constexpr const char* kSearchOptionFields[] = {
    "label", "task", "keys", "depth", "folds", "tolerance", "min_mutual_info", "seed", "budget", "model"};

}  // namespace maas::features::search
