#include "hpo/trial.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace maas::hpo {
namespace {

constexpr std::array<std::pair<TrialState, std::string_view>, 4> kStates = {{
    {TrialState::kRunning, "running"},
    {TrialState::kComplete, "complete"},
    {TrialState::kPruned, "pruned"},
    {TrialState::kFailed, "failed"},
}};

}  // namespace

std::string_view trial_state_name(TrialState state) {
  for (const auto& [s, name] : kStates) {
    if (s == state) return name;
  }
  return "unknown";
}

std::optional<TrialState> trial_state_from_name(std::string_view name) {
  for (const auto& [s, n] : kStates) {
    if (n == name) return s;
  }
  return std::nullopt;
}

std::string_view direction_name(Direction direction) {
  return direction == Direction::kMinimize ? "minimize" : "maximize";
}

std::optional<Direction> direction_from_name(std::string_view name) {
  if (name == "minimize") return Direction::kMinimize;
  if (name == "maximize") return Direction::kMaximize;
  return std::nullopt;
}

Result<std::vector<Direction>> parse_directions(const nlohmann::json& directions) {
  if (!directions.is_array() || directions.empty() || directions.size() > kMaxObjectives) {
    return invalid_argument(fmt::format(
        "'directions' must be an array of 1 to {} entries, each \"minimize\" or \"maximize\"", kMaxObjectives));
  }
  std::vector<Direction> out;
  for (size_t i = 0; i < directions.size(); ++i) {
    const auto& entry = directions[i];
    const auto direction =
        entry.is_string() ? direction_from_name(entry.get_ref<const std::string&>()) : std::optional<Direction>();
    if (!direction) return invalid_argument(fmt::format("'directions[{}]' must be \"minimize\" or \"maximize\"", i));
    out.push_back(*direction);
  }
  return out;
}

double minimized(Direction direction, double value) { return direction == Direction::kMaximize ? -value : value; }

double minimized(const StudyView& study, size_t objective, double value) {
  return minimized(study.directions[objective], value);
}

std::vector<double> minimized(std::span<const Direction> directions, std::span<const double> values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) out.push_back(minimized(directions[i], values[i]));
  return out;
}

bool dominates(std::span<const double> a, std::span<const double> b) {
  bool better = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    better = better || a[i] < b[i];
  }
  return better;
}

std::vector<size_t> pareto_front(const std::vector<std::vector<double>>& points) {
  std::vector<size_t> out;
  for (size_t i = 0; i < points.size(); ++i) {
    const bool dominated =
        std::any_of(points.begin(), points.end(), [&](const auto& other) { return dominates(other, points[i]); });
    if (!dominated) out.push_back(i);
  }
  return out;
}

}  // namespace maas::hpo
