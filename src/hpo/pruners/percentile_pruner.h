// Optuna 3.1's PercentilePruner and MedianPruner (its 50th percentile): prune a trial whose best intermediate value
// so far is worse than the given percentile of the complete trials' values at the same step. Immutable; shareable.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "hpo/pruner.h"

namespace maas::hpo {

struct PercentileOptions {
  double percentile = 50;        // 0..100; the median for "median"
  int64_t n_startup_trials = 5;  // no pruning until this many trials are complete
  int64_t n_warmup_steps = 0;    // no pruning before this step
  int64_t interval_steps = 1;    // prune only at the first report in each interval after the warm-up
  int64_t n_min_trials = 1;      // complete trials that reported the step, at least, for a comparison
};

class PercentilePruner final : public Pruner {
 public:
  PercentilePruner(std::string name, PercentileOptions options) : name_(std::move(name)), options_(options) {}
  std::string_view name() const override { return name_; }
  bool should_prune(const StudyView& study, const Trial& trial, int64_t step) const override;

 private:
  std::string name_;
  PercentileOptions options_;
};

// {"name": "median", "n_startup_trials", "n_warmup_steps", "interval_steps", "n_min_trials"}, or "percentile" with
// "percentile" (required) besides.
Result<std::unique_ptr<Pruner>> make_percentile_pruner(const nlohmann::json& config, bool median);

// numpy's percentile of `values` (linear interpolation, numpy's rounding), q in [0, 100]; `values` non-empty.
double numpy_percentile(std::vector<double> values, double q);

}  // namespace maas::hpo
