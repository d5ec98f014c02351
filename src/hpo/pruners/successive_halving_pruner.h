// Optuna 3.1's SuccessiveHalvingPruner (asynchronous successive halving, ASHA): a trial reaching a rung's step
// (min_resource * reduction_factor^(min_early_stopping_rate + rung)) goes on only if its value there is in the top
// 1/reduction_factor of the values every trial had at that rung. A trial's rung values are derived from its
// intermediate values (the value at its first report at or past the rung's step), so that nothing but the trials is
// state and a resumed study prunes as before. Immutable; shareable.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/status.h"
#include "hpo/pruner.h"

namespace maas::hpo {

struct HalvingOptions {
  // nullopt ("auto"): the highest last step of the complete trials / 100, at least 1 (Optuna's estimate, computed
  // from the trials of the moment rather than frozen at its first use).
  std::optional<int64_t> min_resource;
  int64_t reduction_factor = 4;
  int64_t min_early_stopping_rate = 0;
  int64_t bootstrap_count = 0;  // a rung needs more than this many values (the trial's own included) to promote
};

class SuccessiveHalvingPruner final : public Pruner {
 public:
  explicit SuccessiveHalvingPruner(HalvingOptions options) : options_(options) {}
  std::string_view name() const override { return "asha"; }
  bool should_prune(const StudyView& study, const Trial& trial, int64_t step) const override;

 private:
  HalvingOptions options_;
};

// {"name": "asha" (or "successive_halving"), "min_resource": "auto"|n, "reduction_factor": 4,
//  "min_early_stopping_rate": 0, "bootstrap_count": 0}.
Result<std::unique_ptr<Pruner>> make_successive_halving_pruner(const nlohmann::json& config);

}  // namespace maas::hpo
