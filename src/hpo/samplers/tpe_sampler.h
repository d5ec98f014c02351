// The TPE sampler (tree-structured Parzen estimator), with Optuna 3.1's TPESampler defaults: 10 random startup
// trials, the best ceil(10%) (at most 25) of the trials as "good", 24 candidates drawn from the good trials' Parzen
// estimator and the one with the highest l(x)/g(x) kept; each parameter modelled on its own (univariate, Optuna's
// default, which reached Branin's target sooner than multivariate in bench/hpo). With "multivariate": true the
// parameters that share a condition are modelled jointly (Optuna's multivariate + group), parents first. Pruned
// trials count as Optuna counts them: ranked after every complete trial, deeper last reported step first, then by
// that step's value. Immutable; safe to share.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/status.h"
#include "hpo/sampler.h"
#include "hpo/samplers/parzen_estimator.h"

namespace maas::hpo {

struct TpeOptions {
  uint64_t seed = 0;
  int64_t n_startup_trials = 10;
  int64_t n_ei_candidates = 24;
  ParzenOptions parzen;
};

class TpeSampler final : public Sampler {
 public:
  TpeSampler(const SearchSpace& space, TpeOptions options);
  std::string_view name() const override { return "tpe"; }
  Result<nlohmann::json> sample(const StudyView& study, int64_t number) const override;

 private:
  TpeOptions options_;
  // The parameters modelled together, in the order they are decided.
  std::vector<std::vector<const ParamSpec*>> groups_;
};

// {"name": "tpe", "seed", "n_startup_trials", "n_ei_candidates", "multivariate", "prior_weight",
// "consider_magic_clip", "consider_endpoints"}. One objective only.
Result<std::unique_ptr<Sampler>> make_tpe_sampler(const nlohmann::json& config, const SearchSpace& space,
                                                  size_t objectives);

}  // namespace maas::hpo
