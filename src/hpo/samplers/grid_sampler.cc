#include "hpo/samplers/grid_sampler.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "common/json_fields.h"
#include "hpo/random_sampler.h"

namespace maas::hpo {
namespace {

struct Axis {
  const ParamSpec* spec = nullptr;
  std::vector<nlohmann::json> values;
};

// Every assignment of the active parameters from `index` on, appended to `out`; false once past the limit.
bool enumerate(const SearchSpace& space, const std::vector<Axis>& axes, size_t index, nlohmann::json& partial,
               std::vector<nlohmann::json>& out) {
  if (index == axes.size()) {
    out.push_back(partial);
    return out.size() <= kMaxGridCombinations;
  }
  const Axis& axis = axes[index];
  if (!space.active(*axis.spec, partial)) return enumerate(space, axes, index + 1, partial, out);
  for (const auto& value : axis.values) {
    partial[axis.spec->name] = value;
    if (!enumerate(space, axes, index + 1, partial, out)) return false;
  }
  partial.erase(axis.spec->name);
  return true;
}

}  // namespace

Result<nlohmann::json> GridSampler::sample(const StudyView& study, int64_t /*number*/) const {
  std::set<nlohmann::json> taken;
  for (const auto& trial : study.trials) taken.insert(trial.params);
  for (const auto& combination : combinations_) {
    if (!taken.contains(combination)) return combination;
  }
  return failed_precondition(
      fmt::format("the grid's {} combinations are all taken; nothing is left to try", combinations_.size()));
}

Result<std::unique_ptr<Sampler>> make_grid_sampler(const nlohmann::json& config, const SearchSpace& space) {
  MAAS_RETURN_IF_ERROR(check_known_fields(config, "sampler", {"name", "seed"}));
  MAAS_ASSIGN_OR_RETURN(const uint64_t seed, config_seed(config));
  std::vector<Axis> axes;
  for (const auto& spec : space.params()) {
    auto values = spec.grid_values(kMaxGridCombinations);
    if (!values) {
      return invalid_argument(fmt::format(
          "the grid sampler needs a finite grid: give '{}' a step (or use another sampler), and at most {} values",
          spec.name, kMaxGridCombinations));
    }
    axes.push_back({&spec, std::move(*values)});
  }
  std::vector<nlohmann::json> combinations;
  nlohmann::json partial = nlohmann::json::object();
  if (!enumerate(space, axes, 0, partial, combinations)) {
    return invalid_argument(fmt::format(
        "the grid has more than {} combinations; coarsen the steps or use another sampler", kMaxGridCombinations));
  }
  auto rng = trial_rng(seed, -1);
  std::shuffle(combinations.begin(), combinations.end(), rng);
  return std::unique_ptr<Sampler>(std::make_unique<GridSampler>(std::move(combinations)));
}

}  // namespace maas::hpo
