#include "hpo/samplers/unit_space.h"

#include <algorithm>
#include <cmath>

namespace maas::hpo {

InternalRange internal_range(const ParamSpec& spec) {
  if (spec.type == ParamType::kCategorical) {
    return {-0.5, static_cast<double>(spec.choices.size()) - 0.5, 1.0};
  }
  const double step = spec.step.value_or(spec.type == ParamType::kInt ? 1.0 : 0.0);
  if (spec.log) {
    if (spec.type == ParamType::kInt) return {std::log(spec.low - 0.5), std::log(spec.high + 0.5), 0.0};
    return {std::log(spec.low), std::log(spec.high), 0.0};
  }
  if (step > 0) return {spec.low - step / 2, spec.high + step / 2, step};
  return {spec.low, spec.high, 0.0};
}

double to_unit(const ParamSpec& spec, const nlohmann::json& value) {
  const auto range = internal_range(spec);
  if (range.high <= range.low) return 0.5;
  return std::clamp((spec.to_internal(value) - range.low) / (range.high - range.low), 0.0, 1.0);
}

nlohmann::json from_unit(const ParamSpec& spec, double unit) {
  const auto range = internal_range(spec);
  const double u = std::isnan(unit) ? 0.5 : std::clamp(unit, 0.0, 1.0);
  const double internal = range.low + u * (range.high - range.low);
  return spec.from_internal(internal);
}

std::vector<ScoredTrial> scored_trials(const StudyView& study, size_t objective) {
  std::vector<ScoredTrial> scored;
  for (const auto& trial : study.trials) {
    if (trial.state != TrialState::kComplete || trial.values.size() <= objective) continue;
    const double score = minimized(study, objective, trial.values[objective]);
    if (std::isfinite(score)) scored.push_back({&trial, score});
  }
  return scored;
}

const ScoredTrial* best_of(const std::vector<ScoredTrial>& scored) {
  const auto it = std::min_element(scored.begin(), scored.end(),
                                   [](const ScoredTrial& a, const ScoredTrial& b) { return a.score < b.score; });
  return it == scored.end() ? nullptr : &*it;
}

void drop_inactive(const SearchSpace& space, nlohmann::json& params) {
  nlohmann::json kept = nlohmann::json::object();
  for (const auto& spec : space.params()) {
    const auto it = params.find(spec.name);
    if (it != params.end() && space.active(spec, kept)) kept[spec.name] = *it;
  }
  params = std::move(kept);
}

}  // namespace maas::hpo
