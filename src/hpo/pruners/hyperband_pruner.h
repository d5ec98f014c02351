// Optuna 3.1's HyperbandPruner: several brackets of successive halving (bracket b stops early from rung rate b),
// each trial in one bracket chosen by the CRC-32 of "_<trial number>" weighted by the brackets' trial budgets, and
// compared only with the trials of its bracket. (Optuna hashes "<study name>_<number>": maas's brackets are those of
// an Optuna study named "", since pruners see trials, not names.) Immutable; shareable.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "common/status.h"
#include "hpo/pruner.h"

namespace maas::hpo {

struct HyperbandOptions {
  int64_t min_resource = 1;
  // nullopt ("auto"): the highest last step of the complete trials + 1, recomputed from the trials of the moment
  // (Optuna freezes it at its first use); no pruning until a trial is complete.
  std::optional<int64_t> max_resource;
  int64_t reduction_factor = 3;
  int64_t bootstrap_count = 0;
};

class HyperbandPruner final : public Pruner {
 public:
  explicit HyperbandPruner(HyperbandOptions options) : options_(options) {}
  std::string_view name() const override { return "hyperband"; }
  bool should_prune(const StudyView& study, const Trial& trial, int64_t step) const override;

 private:
  HyperbandOptions options_;
};

// {"name": "hyperband", "min_resource": 1, "max_resource": "auto"|n, "reduction_factor": 3, "bootstrap_count": 0}.
Result<std::unique_ptr<Pruner>> make_hyperband_pruner(const nlohmann::json& config);

// The bracket Optuna's HyperbandPruner puts a trial in, given the brackets' trial budgets.
size_t hyperband_bracket(std::string_view study_name, int64_t number, const std::vector<int64_t>& budgets);
// The brackets' trial budgets: ceil(n * factor^s / (s + 1)) with s = n - 1 - bracket, n = floor(log_factor(max/min))+1.
std::vector<int64_t> hyperband_budgets(int64_t min_resource, int64_t max_resource, int64_t factor);

}  // namespace maas::hpo
