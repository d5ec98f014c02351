#include "hpo/samplers/sobol_sampler.h"

#include <bit>

#include "common/json_fields.h"
#include "hpo/random_sampler.h"
#include "hpo/samplers/sobol_directions.h"
#include "hpo/samplers/unit_space.h"

namespace maas::hpo {
namespace {

// Direction numbers v_1..v_B of dimension `d` (Bratley and Fox's recurrence, as scipy's _initialize_v), each
// shifted so that bit B-1 is the first binary digit.
std::array<uint32_t, kSobolBits> unscrambled_directions(size_t d) {
  std::array<uint32_t, kSobolBits> v{};
  if (d == 0) {
    v.fill(1);
  } else {
    const auto& entry = sobol_data::kDirections[d];
    const uint32_t poly = entry.poly;
    const int degree = static_cast<int>(std::bit_width(poly)) - 1;
    for (int j = 0; j < degree && j < kSobolBits; ++j) v[j] = entry.init[j];
    for (int j = degree; j < kSobolBits; ++j) {
      uint32_t next = v[j - degree];
      uint32_t pow2 = 1;
      for (int k = 0; k < degree; ++k) {
        pow2 <<= 1;
        if ((poly >> (degree - 1 - k)) & 1) next ^= pow2 * v[j - k - 1];
      }
      v[j] = next;
    }
  }
  for (int j = 0; j < kSobolBits; ++j) v[j] <<= (kSobolBits - 1 - j);
  return v;
}

}  // namespace

SobolSequence::SobolSequence(size_t dimensions, uint64_t seed) {
  auto rng = trial_rng(seed, -1, 1);
  std::uniform_int_distribution<uint32_t> bits(0, (1U << kSobolBits) - 1);
  for (size_t d = 0; d < dimensions && d < sobol_data::kDimensions; ++d) {
    auto v = unscrambled_directions(d);
    // A random lower-triangular binary matrix with a unit diagonal, applied to each direction number: row i (the
    // i-th binary digit from the top) mixes in only the digits above it.
    std::array<uint32_t, kSobolBits> rows{};
    for (int i = 0; i < kSobolBits; ++i) {
      const int diagonal = kSobolBits - 1 - i;
      const uint32_t above = diagonal + 1 >= kSobolBits ? 0U : (bits(rng) & ~((2U << diagonal) - 1));
      rows[i] = above | (1U << diagonal);
    }
    for (auto& number : v) {
      uint32_t scrambled = 0;
      for (int i = 0; i < kSobolBits; ++i) {
        if (std::popcount(rows[i] & number) & 1) scrambled |= 1U << (kSobolBits - 1 - i);
      }
      number = scrambled;
    }
    directions_.push_back(v);
    shift_.push_back(bits(rng));
  }
}

std::vector<double> SobolSequence::point(uint64_t index) const {
  const uint64_t gray = index ^ (index >> 1);
  std::vector<double> out;
  out.reserve(directions_.size());
  for (size_t d = 0; d < directions_.size(); ++d) {
    uint32_t x = shift_[d];
    for (int j = 0; j < kSobolBits; ++j) {
      if ((gray >> j) & 1) x ^= directions_[d][j];
    }
    out.push_back((static_cast<double>(x) + 0.5) / static_cast<double>(1U << kSobolBits));
  }
  return out;
}

namespace {

std::vector<const ParamSpec*> unconditional(const SearchSpace& space) {
  std::vector<const ParamSpec*> out;
  for (const auto& spec : space.params()) {
    if (!spec.parent && out.size() < sobol_data::kDimensions) out.push_back(&spec);
  }
  return out;
}

}  // namespace

SobolSampler::SobolSampler(const SearchSpace& space, uint64_t seed)
    : seed_(seed), dimensions_(unconditional(space)), sequence_(dimensions_.size(), seed) {}

Result<nlohmann::json> SobolSampler::sample(const StudyView& study, int64_t number) const {
  const auto point = sequence_.point(static_cast<uint64_t>(number) & ((1ULL << kSobolBits) - 1));
  nlohmann::json params = nlohmann::json::object();
  for (size_t d = 0; d < dimensions_.size(); ++d) params[dimensions_[d]->name] = from_unit(*dimensions_[d], point[d]);
  auto rng = trial_rng(seed_, number);
  fill_uniform(*study.space, params, rng);
  return params;
}

Result<std::unique_ptr<Sampler>> make_sobol_sampler(const nlohmann::json& config, const SearchSpace& space) {
  MAAS_RETURN_IF_ERROR(check_known_fields(config, "sampler", {"name", "seed"}));
  MAAS_ASSIGN_OR_RETURN(const uint64_t seed, config_seed(config));
  return std::unique_ptr<Sampler>(std::make_unique<SobolSampler>(space, seed));
}

}  // namespace maas::hpo
