// The generational genetic algorithm behind the ga and nsga2 samplers. Trial n belongs to generation
// n / population_size; generation 0 is drawn uniformly, and each later child comes from the complete trials of the
// generations before it: the best population_size of them survive (elitist), two parents are picked by binary
// tournament, crossed (uniform per parameter, or SBX on numeric unit coordinates) and mutated (each parameter
// redrawn with probability mutation_probability). "Best" is the objective for one objective and NSGA-II's order —
// non-domination rank, then crowding distance — for several. A pure function of the trials; immutable; safe to share.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "hpo/sampler.h"

namespace maas::hpo {

struct EvolutionOptions {
  uint64_t seed = 0;
  int64_t population_size = 50;
  bool sbx = false;     // SBX crossover for numeric parameters instead of uniform
  double sbx_eta = 20;  // SBX's distribution index
  double crossover_probability = 0.9;
  double mutation_probability = -1;  // < 0: 1 / number of parameters
};

class EvolutionSampler final : public Sampler {
 public:
  EvolutionSampler(std::string_view name, EvolutionOptions options) : name_(name), options_(options) {}
  std::string_view name() const override { return name_; }
  Result<nlohmann::json> sample(const StudyView& study, int64_t number) const override;

 private:
  std::string_view name_;
  EvolutionOptions options_;
};

// Non-dominated sorting of `points` (every objective minimized): each point's front, 0 for the Pareto front.
std::vector<int> nondomination_ranks(const std::vector<std::vector<double>>& points);
// Crowding distance of each point among `members` (indices into points), infinite at each objective's extremes.
std::vector<double> crowding_distances(const std::vector<std::vector<double>>& points,
                                       const std::vector<size_t>& members);

// {"name": "ga"|"nsga2", "seed", "population_size", "crossover": "uniform"|"sbx", "crossover_probability",
// "mutation_probability"}. `single_objective`: refuse studies with several objectives.
Result<std::unique_ptr<Sampler>> make_evolution_sampler(std::string_view name, const nlohmann::json& config,
                                                        size_t objectives, int64_t default_population,
                                                        bool single_objective);

}  // namespace maas::hpo
