// The sampler interface: what the next trial's parameters are, given the trials so far. Samplers are registered by
// name in sampler_registry.cc. A sampler is a pure function of its configuration, the trials and the trial number —
// no state outside the trials — so that a study resumed after a restart asks what it would have asked. Instances
// are immutable after make_sampler and may be shared across threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string_view>

#include "common/status.h"
#include "hpo/search_space.h"
#include "hpo/trial.h"

namespace maas::hpo {

class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual std::string_view name() const = 0;
  // The parameters of trial `number` (the next one: every trial in `study` has a smaller number): an object with
  // every parameter active under the values chosen, each inside the space. FAILED_PRECONDITION when the sampler has
  // nothing left to suggest (a grid already covered).
  virtual Result<nlohmann::json> sample(const StudyView& study, int64_t number) const = 0;
};

// Builds the sampler that `config` names: {"name": "random", "seed": 7, ...}; null or an object without "name" is
// maas's default sampler. INVALID_ARGUMENT for an unknown name (listing the known ones) or options the sampler does
// not take, or a sampler that does not support this space or number of objectives.
Result<std::unique_ptr<Sampler>> make_sampler(const nlohmann::json& config, const SearchSpace& space,
                                              size_t objectives);

// The names make_sampler knows, in the order docs/HPO.md lists them.
std::span<const std::string_view> sampler_names();

// A generator for trial `number` of a sampler seeded `seed`, independent of every other trial's (`stream` tells apart
// several generators one trial needs).
std::mt19937_64 trial_rng(uint64_t seed, int64_t number, uint64_t stream = 0);

}  // namespace maas::hpo
