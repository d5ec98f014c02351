#include "hpo/samplers/perturb.h"

#include <algorithm>

#include "hpo/random_sampler.h"
#include "hpo/samplers/unit_space.h"

namespace maas::hpo {

nlohmann::json perturb(const SearchSpace& space, const nlohmann::json& params, const PerturbOptions& options,
                       std::mt19937_64& rng) {
  nlohmann::json out = params;
  std::normal_distribution<double> step(0.0, options.scale);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  for (const auto& spec : space.params()) {
    const auto it = out.find(spec.name);
    if (it == out.end()) continue;
    if (spec.type == ParamType::kCategorical) {
      if (coin(rng) < options.categorical_probability) *it = spec.sample_uniform(rng);
    } else if (coin(rng) < options.numeric_probability) {
      *it = options.resample_numeric ? spec.sample_uniform(rng) : from_unit(spec, to_unit(spec, *it) + step(rng));
    }
  }
  drop_inactive(space, out);
  fill_uniform(space, out, rng);
  return out;
}

}  // namespace maas::hpo
