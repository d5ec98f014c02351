// A neighbour of a point of the space, for local search (the GP sampler's refinement, the refine sampler) and the
// genetic algorithms' mutation: numeric parameters moved by a Gaussian step on [0, 1], categoricals redrawn, and the
// conditional parameters made consistent with the parents' new values. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <random>

#include "hpo/search_space.h"

namespace maas::hpo {

struct PerturbOptions {
  double scale = 0.1;                // the Gaussian step's standard deviation on a numeric parameter's unit coordinate
  double numeric_probability = 1.0;  // each numeric parameter moves with this probability
  double categorical_probability = 0.2;  // each categorical parameter is redrawn with this probability
  bool resample_numeric = false;         // a numeric parameter that moves is redrawn uniformly instead
};

// `params` changed as `options` says; parameters that become inactive are dropped and newly active ones drawn
// uniformly.
nlohmann::json perturb(const SearchSpace& space, const nlohmann::json& params, const PerturbOptions& options,
                       std::mt19937_64& rng);

}  // namespace maas::hpo
