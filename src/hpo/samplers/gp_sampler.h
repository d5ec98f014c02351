// The GP sampler: Bayesian optimization with a Gaussian process (gaussian_process.h: Matérn 5/2, ARD length scales
// fitted by maximizing the marginal likelihood) over the parameters on [0, 1] (unit_space.h: log scales already
// warped to their logs, categoricals one-hot), choosing the candidate of highest expected improvement among random
// points and perturbations of the best trials, then refined by local search. The first trials come from a scrambled
// Sobol sequence. Cost is bounded: at most `max_history` trials feed the model (the best quarter and the most
// recent). After `patience` trials without improvement the candidates near the incumbent are set aside, so that a
// search stuck in a local basin looks elsewhere. Running trials are not modelled. One objective. Immutable; safe to
// share.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/status.h"
#include "hpo/sampler.h"
#include "hpo/samplers/sobol_sampler.h"

namespace maas::hpo {

struct GpOptions {
  uint64_t seed = 0;
  int64_t n_startup_trials = 10;
  int64_t max_history = 100;
  int64_t n_candidates = 1000;
  int64_t restarts = 2;
  // Trials without improvement after which the search looks away from the incumbent.
  int64_t patience = 15;
};

class GpSampler final : public Sampler {
 public:
  GpSampler(const SearchSpace& space, GpOptions options);
  std::string_view name() const override { return "gp"; }
  Result<nlohmann::json> sample(const StudyView& study, int64_t number) const override;

 private:
  GpOptions options_;
  SobolSampler startup_;
};

// The most a config may ask for: they keep one ask (on maasd's blocking pool) to seconds, not minutes.
inline constexpr int64_t kGpMaxHistory = 500;
inline constexpr int64_t kGpMaxCandidates = 10'000;
inline constexpr int64_t kGpMaxRestarts = 5;

// {"name": "gp", "seed", "n_startup_trials", "max_history", "n_candidates", "restarts", "patience"}. One objective
// only.
Result<std::unique_ptr<Sampler>> make_gp_sampler(const nlohmann::json& config, const SearchSpace& space,
                                                 size_t objectives);

}  // namespace maas::hpo
