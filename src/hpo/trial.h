// A study's trials as samplers and pruners see them: the parameters asked, the state, the final values (one per
// objective) and the intermediate values reported on the way. Plain data; the studies store owns the records.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "hpo/search_space.h"

namespace maas::hpo {

enum class TrialState { kRunning, kComplete, kPruned, kFailed };
enum class Direction { kMinimize, kMaximize };

// "running", "complete", "pruned", "failed"; nullopt for other names.
std::string_view trial_state_name(TrialState state);
std::optional<TrialState> trial_state_from_name(std::string_view name);
// "minimize", "maximize".
std::string_view direction_name(Direction direction);
std::optional<Direction> direction_from_name(std::string_view name);

// The most objectives a study may have.
inline constexpr size_t kMaxObjectives = 16;
// A 'directions' field: an array of 1 to kMaxObjectives names. INVALID_ARGUMENT naming the field or the entry.
Result<std::vector<Direction>> parse_directions(const nlohmann::json& directions);

struct Trial {
  int64_t number = 0;  // 0, 1, 2, ... in the order asked
  TrialState state = TrialState::kRunning;
  nlohmann::json params = nlohmann::json::object();      // name -> value, the active parameters only
  std::vector<double> values;                            // complete trials: one per objective
  std::vector<std::pair<int64_t, double>> intermediate;  // (step, value), ascending steps, one value per step
};

// What a sampler or pruner may read: the space, the objectives' directions and every trial so far (running ones
// included, ordered by number).
struct StudyView {
  const SearchSpace* space = nullptr;
  std::span<const Direction> directions;
  std::span<const Trial> trials;
};

// `value` turned so that smaller is better (negated when maximizing).
double minimized(Direction direction, double value);
double minimized(const StudyView& study, size_t objective, double value);
// Every value turned so that smaller is better, one direction per value.
std::vector<double> minimized(std::span<const Direction> directions, std::span<const double> values);

// Whether point `a` dominates `b`, both minimized and of one size: no worse in every objective, better in one.
bool dominates(std::span<const double> a, std::span<const double> b);
// The indices of the points no other point dominates (the Pareto front), ascending.
std::vector<size_t> pareto_front(const std::vector<std::vector<double>>& points);

}  // namespace maas::hpo
