// The random sampler: each active parameter drawn uniformly (in log space for log scales), independently per trial.
// Immutable; safe to share.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "hpo/sampler.h"

namespace maas::hpo {

class RandomSampler final : public Sampler {
 public:
  explicit RandomSampler(uint64_t seed) : seed_(seed) {}
  std::string_view name() const override { return "random"; }
  Result<nlohmann::json> sample(const StudyView& study, int64_t number) const override;

 private:
  uint64_t seed_;
};

// Reads {"name": "random", "seed"}: the options every sampler takes (the seed; 0 when absent).
Result<std::unique_ptr<Sampler>> make_random_sampler(const nlohmann::json& config);

// Draws every parameter not yet in `params` that is active given the values before it (parents first), uniformly.
// Samplers that decide some parameters themselves call this for the rest.
void fill_uniform(const SearchSpace& space, nlohmann::json& params, std::mt19937_64& rng);

// The seed of a sampler's config: its "seed" field, an integer from 0 to 2^64 - 1, or 0. INVALID_ARGUMENT otherwise.
Result<uint64_t> config_seed(const nlohmann::json& config);

}  // namespace maas::hpo
