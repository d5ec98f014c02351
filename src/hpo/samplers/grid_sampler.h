// The grid sampler: every combination of the parameters' values (grid_values; only the active parameters of a
// conditional space), each exactly once, in an order shuffled by the seed as Optuna's GridSampler. Trials still
// running count as taken. Immutable; safe to share.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/status.h"
#include "hpo/sampler.h"

namespace maas::hpo {

// Most combinations a grid may hold.
inline constexpr size_t kMaxGridCombinations = 100000;

class GridSampler final : public Sampler {
 public:
  // `combinations`: every point of the grid, already in the order it is walked.
  explicit GridSampler(std::vector<nlohmann::json> combinations) : combinations_(std::move(combinations)) {}
  std::string_view name() const override { return "grid"; }
  // The first combination no trial holds; FAILED_PRECONDITION when every one is taken.
  Result<nlohmann::json> sample(const StudyView& study, int64_t number) const override;
  size_t size() const { return combinations_.size(); }

 private:
  std::vector<nlohmann::json> combinations_;
};

// {"name": "grid", "seed"}. INVALID_ARGUMENT for a float without a step (no grid to walk) or more than
// kMaxGridCombinations combinations.
Result<std::unique_ptr<Sampler>> make_grid_sampler(const nlohmann::json& config, const SearchSpace& space);

}  // namespace maas::hpo
