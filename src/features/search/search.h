// Feature search (docs/FEATURES.md): candidates generated and pruned (candidates.h), screened by mutual information
// with the label (mutual_info.h) and by XGBoost gain (model_scores.h), then chosen by forward selection under k-fold
// cross-validation: each round adds the candidate that raises the CV score most, until none raises it by the
// tolerance or the budget ends. The result is a report of what each kept feature adds and a pipeline spec that
// computes the kept features (ArithmeticFeatures, GroupAggregate), fit and served like any other pipeline.
//
// Thread-safety: runs on the calling thread (XGBoost uses `nthread` of its own).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "features/search/options.h"
#include "features/table.h"

namespace maas::features::search {

struct SearchHooks {
  std::function<void(double fraction, const std::string& message)> progress;
  std::function<bool()> cancelled;
  std::function<void(const std::string& line)> log;
};

// The report: {task, label, metric, rows, base_features, keys, baseline_score, final_score, candidates {generated,
// pruned, scored, screened, budget_hit}, kept [...], steps [...], dropped [...], dropped_total, stopped, spec}.
// INVALID_ARGUMENT for data the search cannot run on (no rows, an unknown or missing label, no numeric column);
// UNAVAILABLE when cancelled.
Result<nlohmann::json> run_search(const Table& data, const SearchOptions& options, int nthread,
                                  const SearchHooks& hooks);

}  // namespace maas::features::search
