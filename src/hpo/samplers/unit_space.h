// Each parameter's value placed on [0, 1], the coordinate the model-based and evolutionary samplers search in: the
// internal form (log for log scales, the index of a categorical choice) stretched by half a step on each side for
// ints, stepped floats and categoricals, so that every value owns an equal slice of the interval. Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "hpo/search_space.h"
#include "hpo/trial.h"

namespace maas::hpo {

// The interval of the internal form that [0, 1] stands for (Optuna's Parzen bounds: ints and stepped floats widened
// by half a step, log ints from log(low - 0.5) to log(high + 0.5), categoricals from -0.5 to choices - 0.5).
struct InternalRange {
  double low = 0;
  double high = 1;
  // The distance between neighbouring values in internal form; 0 for continuous parameters.
  double step = 0;
};
InternalRange internal_range(const ParamSpec& spec);

// A valid value of `spec` as a coordinate in [0, 1], and back (any double: clamped, snapped to the nearest value).
double to_unit(const ParamSpec& spec, const nlohmann::json& value);
nlohmann::json from_unit(const ParamSpec& spec, double unit);

// A complete trial with its value on one objective, smaller is better.
struct ScoredTrial {
  const Trial* trial = nullptr;
  double score = 0;
};
// The complete trials with a finite value on `objective`, in trial order.
std::vector<ScoredTrial> scored_trials(const StudyView& study, size_t objective = 0);
// The trial with the smallest score; nullptr when `scored` is empty.
const ScoredTrial* best_of(const std::vector<ScoredTrial>& scored);

// Removes from `params` every parameter that is not active under the values kept before it (parents first): what a
// crossover or mutation leaves behind when it changes a parent.
void drop_inactive(const SearchSpace& space, nlohmann::json& params);

}  // namespace maas::hpo
