// The Sobol sampler: quasi-random points that fill the space more evenly than independent draws, one dimension per
// unconditional parameter, scrambled with the seed (a random linear matrix scramble and a digital shift, as scipy's
// scrambled Sobol); trial n takes point n. Conditional parameters are drawn uniformly. Immutable; safe to share.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/status.h"
#include "hpo/sampler.h"

namespace maas::hpo {

// Bits of each coordinate (points past 2^30 repeat).
inline constexpr int kSobolBits = 30;

// The scrambled direction numbers of a Sobol sequence in `dimensions` dimensions (at most 256).
class SobolSequence {
 public:
  SobolSequence(size_t dimensions, uint64_t seed);
  // Point `index` in [0, 1)^dimensions.
  std::vector<double> point(uint64_t index) const;

 private:
  std::vector<std::array<uint32_t, kSobolBits>> directions_;
  std::vector<uint32_t> shift_;
};

class SobolSampler final : public Sampler {
 public:
  SobolSampler(const SearchSpace& space, uint64_t seed);
  std::string_view name() const override { return "sobol"; }
  Result<nlohmann::json> sample(const StudyView& study, int64_t number) const override;

 private:
  uint64_t seed_;
  std::vector<const ParamSpec*> dimensions_;  // the unconditional parameters
  SobolSequence sequence_;
};

// {"name": "sobol", "seed"}.
Result<std::unique_ptr<Sampler>> make_sobol_sampler(const nlohmann::json& config, const SearchSpace& space);

}  // namespace maas::hpo
