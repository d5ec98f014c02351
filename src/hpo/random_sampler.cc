#include "hpo/random_sampler.h"

#include "common/json_fields.h"
#include "hpo/options.h"

namespace maas::hpo {

void fill_uniform(const SearchSpace& space, nlohmann::json& params, std::mt19937_64& rng) {
  for (const auto& spec : space.params()) {
    if (params.contains(spec.name) || !space.active(spec, params)) continue;
    params[spec.name] = spec.sample_uniform(rng);
  }
}

Result<uint64_t> config_seed(const nlohmann::json& config) { return option_uint64(config, "sampler", "seed", 0); }

Result<nlohmann::json> RandomSampler::sample(const StudyView& study, int64_t number) const {
  auto rng = trial_rng(seed_, number);
  nlohmann::json params = nlohmann::json::object();
  fill_uniform(*study.space, params, rng);
  return params;
}

Result<std::unique_ptr<Sampler>> make_random_sampler(const nlohmann::json& config) {
  MAAS_RETURN_IF_ERROR(check_known_fields(config, "sampler", {"name", "seed"}));
  MAAS_ASSIGN_OR_RETURN(const uint64_t seed, config_seed(config));
  return std::unique_ptr<Sampler>(std::make_unique<RandomSampler>(seed));
}

}  // namespace maas::hpo
