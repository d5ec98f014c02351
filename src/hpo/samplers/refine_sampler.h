// The refine sampler: heuristic local search around the incumbent (the best complete trial). After a Sobol startup,
// each trial is the incumbent moved by a Gaussian step on every numeric unit coordinate (categoricals redrawn with a
// small probability). The step shrinks with each success (a trial that beat the incumbent) and widens again after a
// run of failures, replayed from the trials in order so that it is a pure function of them. One objective.
// Immutable; safe to share.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "hpo/sampler.h"
#include "hpo/samplers/sobol_sampler.h"

namespace maas::hpo {

struct RefineOptions {
  uint64_t seed = 0;
  int64_t n_startup_trials = 10;
  double initial_step = 0.1;  // on the unit coordinates
  double shrink = 0.8;        // the step's factor per success
  int64_t patience = 10;      // failures in a row that double the step
};

class RefineSampler final : public Sampler {
 public:
  RefineSampler(const SearchSpace& space, RefineOptions options) : options_(options), startup_(space, options.seed) {}
  std::string_view name() const override { return "refine"; }
  Result<nlohmann::json> sample(const StudyView& study, int64_t number) const override;

 private:
  RefineOptions options_;
  SobolSampler startup_;
};

// {"name": "refine", "seed", "n_startup_trials", "initial_step", "shrink", "patience"}. One objective only.
Result<std::unique_ptr<Sampler>> make_refine_sampler(const nlohmann::json& config, const SearchSpace& space,
                                                     size_t objectives);

}  // namespace maas::hpo
