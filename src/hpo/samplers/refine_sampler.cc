#include "hpo/samplers/refine_sampler.h"

#include <algorithm>

#include "common/json_fields.h"
#include "hpo/options.h"
#include "hpo/random_sampler.h"
#include "hpo/samplers/perturb.h"
#include "hpo/samplers/sampler_options.h"
#include "hpo/samplers/unit_space.h"

namespace maas::hpo {
namespace {

constexpr double kMinStep = 1e-4;
constexpr double kMaxStep = 0.5;

}  // namespace

Result<nlohmann::json> RefineSampler::sample(const StudyView& study, int64_t number) const {
  const auto scored = scored_trials(study);
  if (static_cast<int64_t>(scored.size()) < options_.n_startup_trials || scored.empty()) {
    return startup_.sample(study, number);
  }
  // Replay: the incumbent and the step as they stood after each trial.
  const ScoredTrial* incumbent = nullptr;
  double step = options_.initial_step;
  int64_t failures = 0;
  for (size_t i = 0; i < scored.size(); ++i) {
    const bool improved = incumbent == nullptr || scored[i].score < incumbent->score;
    if (improved) incumbent = &scored[i];
    if (static_cast<int64_t>(i) < options_.n_startup_trials) continue;
    if (improved) {
      step = std::max(kMinStep, step * options_.shrink);
      failures = 0;
    } else if (++failures >= options_.patience) {
      step = std::min(kMaxStep, step * 2);
      failures = 0;
    }
  }
  auto rng = trial_rng(options_.seed, number);
  return perturb(*study.space, incumbent->trial->params,
                 {.scale = step, .numeric_probability = 1.0, .categorical_probability = std::min(0.5, 2 * step)}, rng);
}

Result<std::unique_ptr<Sampler>> make_refine_sampler(const nlohmann::json& config, const SearchSpace& space,
                                                     size_t objectives) {
  MAAS_RETURN_IF_ERROR(check_known_fields(config, "sampler",
                                          {"name", "seed", "n_startup_trials", "initial_step", "shrink", "patience"}));
  MAAS_RETURN_IF_ERROR(require_single_objective("refine", objectives));
  RefineOptions options;
  MAAS_ASSIGN_OR_RETURN(options.seed, config_seed(config));
  MAAS_ASSIGN_OR_RETURN(options.n_startup_trials, option_int(config, "sampler", "n_startup_trials", 10, 1, 100000));
  MAAS_ASSIGN_OR_RETURN(options.initial_step, option_number(config, "sampler", "initial_step", 0.1, 1e-4, 0.5));
  MAAS_ASSIGN_OR_RETURN(options.shrink, option_number(config, "sampler", "shrink", 0.8, 0.1, 1.0));
  MAAS_ASSIGN_OR_RETURN(options.patience, option_int(config, "sampler", "patience", 10, 1, 100000));
  return std::unique_ptr<Sampler>(std::make_unique<RefineSampler>(space, options));
}

}  // namespace maas::hpo
