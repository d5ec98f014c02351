#include "hpo/trial.h"

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

double minimized(const StudyView& study, size_t objective, double value) {
  return study.directions[objective] == Direction::kMaximize ? -value : value;
}

}  // namespace maas::hpo
