#include "hpo/samplers/sampler_options.h"

#include <fmt/format.h>

namespace maas::hpo {

Status require_single_objective(std::string_view sampler, size_t objectives) {
  if (objectives == 1) return {};
  return invalid_argument(fmt::format(
      "the '{}' sampler optimizes one objective and this study has {}; use 'nsga2' (or 'random', 'sobol', 'grid') "
      "for several objectives",
      sampler, objectives));
}

}  // namespace maas::hpo
