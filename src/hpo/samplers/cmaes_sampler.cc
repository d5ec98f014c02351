#include "hpo/samplers/cmaes_sampler.h"

#include "common/json_fields.h"
#include "hpo/options.h"
#include "hpo/random_sampler.h"
#include "hpo/samplers/cma_es.h"
#include "hpo/samplers/sampler_options.h"
#include "hpo/samplers/unit_space.h"

namespace maas::hpo {
namespace {

// The generator streams of one trial: CMA-ES's candidate, and the independent parameters.
constexpr uint64_t kCandidateStream = 0;
constexpr uint64_t kIndependentStream = 1;

}  // namespace

CmaEsSampler::CmaEsSampler(const SearchSpace& space, CmaEsOptions options) : options_(options) {
  const auto& params = space.params();
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].type != ParamType::kCategorical && !params[i].parent) numeric_.push_back(i);
  }
}

Result<nlohmann::json> CmaEsSampler::sample(const StudyView& study, int64_t number) const {
  nlohmann::json params = nlohmann::json::object();
  const auto& specs = study.space->params();
  const auto scored = scored_trials(study);
  if (numeric_.size() >= 2 && static_cast<int64_t>(scored.size()) >= options_.n_startup_trials) {
    CmaEs cma(std::vector<double>(numeric_.size(), 0.5), options_.sigma0, static_cast<size_t>(options_.popsize));
    // Replay: every `population` complete trials past the startup ones (and before this one) are a generation.
    std::vector<std::pair<std::vector<double>, double>> generation;
    for (size_t t = static_cast<size_t>(options_.n_startup_trials); t < scored.size(); ++t) {
      const Trial& trial = *scored[t].trial;
      if (trial.number >= number) break;
      std::vector<double> x;
      x.reserve(numeric_.size());
      for (size_t index : numeric_) x.push_back(to_unit(specs[index], trial.params.at(specs[index].name)));
      generation.emplace_back(std::move(x), scored[t].score);
      if (generation.size() == cma.population()) {
        cma.tell(std::move(generation));
        generation.clear();
      }
    }
    auto rng = trial_rng(options_.seed, number, kCandidateStream);
    const std::vector<double> x = cma.ask(rng);
    for (size_t d = 0; d < numeric_.size(); ++d) params[specs[numeric_[d]].name] = from_unit(specs[numeric_[d]], x[d]);
  }
  auto rng = trial_rng(options_.seed, number, kIndependentStream);
  fill_uniform(*study.space, params, rng);
  return params;
}

Result<std::unique_ptr<Sampler>> make_cmaes_sampler(const nlohmann::json& config, const SearchSpace& space,
                                                    size_t objectives) {
  MAAS_RETURN_IF_ERROR(
      check_known_fields(config, "sampler", {"name", "seed", "n_startup_trials", "sigma0", "popsize"}));
  MAAS_RETURN_IF_ERROR(require_single_objective("cmaes", objectives));
  CmaEsOptions options;
  MAAS_ASSIGN_OR_RETURN(options.seed, config_seed(config));
  MAAS_ASSIGN_OR_RETURN(options.n_startup_trials, option_int(config, "sampler", "n_startup_trials", 1, 0, 100000));
  MAAS_ASSIGN_OR_RETURN(options.sigma0, option_number(config, "sampler", "sigma0", 1.0 / 6, 1e-6, 1.0));
  // 0 is the default; a population of 2 or more gives a generation something to rank.
  MAAS_ASSIGN_OR_RETURN(options.popsize, option_int(config, "sampler", "popsize", 0, 0, 1000));
  if (options.popsize == 1) return invalid_argument("'sampler.popsize' must be 0 (auto) or from 2 to 1000");
  return std::unique_ptr<Sampler>(std::make_unique<CmaEsSampler>(space, options));
}

}  // namespace maas::hpo
