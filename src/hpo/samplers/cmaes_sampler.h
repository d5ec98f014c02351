// The cmaes sampler: CMA-ES as Optuna 3.1's CmaEsSampler runs it (the `cmaes` package's CMA), on the unit
// coordinates (unit_space.h) of the space's unconditional numeric parameters: log scales on their logs, ints and
// steps on the slice each value owns, starting at the centre with sigma 1/6. Categorical and conditional
// parameters are drawn independently (uniformly), as Optuna does, and so is everything while fewer than
// `n_startup_trials` trials are complete or when the space has fewer than two numeric parameters.
// No state outside the trials: the complete trials after the startup ones, in number order, form the generations
// (each `popsize` of them is one), replayed into the CMA state before every ask — run one trial at a time, exactly
// the generations Optuna's sampler forms. One objective. Immutable; safe to share.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/status.h"
#include "hpo/sampler.h"

namespace maas::hpo {

struct CmaEsOptions {
  uint64_t seed = 0;
  int64_t n_startup_trials = 1;
  double sigma0 = 1.0 / 6;  // on the unit coordinates
  int64_t popsize = 0;      // 0: 4 + floor(3 ln n)
};

class CmaEsSampler final : public Sampler {
 public:
  CmaEsSampler(const SearchSpace& space, CmaEsOptions options);
  std::string_view name() const override { return "cmaes"; }
  Result<nlohmann::json> sample(const StudyView& study, int64_t number) const override;

 private:
  CmaEsOptions options_;
  std::vector<size_t> numeric_;  // the space's parameters CMA-ES searches, by index
};

// {"name": "cmaes", "seed", "n_startup_trials", "sigma0", "popsize"}. One objective only.
Result<std::unique_ptr<Sampler>> make_cmaes_sampler(const nlohmann::json& config, const SearchSpace& space,
                                                    size_t objectives);

}  // namespace maas::hpo
