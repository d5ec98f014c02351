// A study's search space: float, log-float, int, stepped and categorical parameters, some active only under a
// condition on a categorical parent (a conditional space), parsed strictly from the `space` object of
// `POST /api/v1/studies`. Samplers work on each parameter's internal form (a double: the value, its log for log
// scales, the index of a categorical choice) and turn it back into a value of the space. Immutable once parsed;
// safe to share across threads.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/status.h"

namespace maas::hpo {

// Bounds on what a client may send.
inline constexpr size_t kMaxParams = 256;
inline constexpr size_t kMaxChoices = 1024;
inline constexpr size_t kMaxParamNameBytes = 128;

enum class ParamType { kFloat, kInt, kCategorical };

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kFloat;
  double low = 0;  // float and int: inclusive bounds
  double high = 0;
  bool log = false;  // sampled uniformly in log space (low > 0)
  // float: values are low + k * step; int: the step between values (1 unless given).
  std::optional<double> step;
  std::vector<nlohmann::json> choices;  // categorical: strings, numbers, booleans or null
  // A conditional parameter is active only when the categorical `parent` took one of `parent_values`.
  std::optional<std::string> parent;
  std::vector<nlohmann::json> parent_values;

  // The internal form's bounds: [low, high], their logs, or [0, choices - 1].
  double internal_low() const;
  double internal_high() const;
  // A value of this parameter as a double in internal form (the value must be valid: see SearchSpace::check).
  double to_internal(const nlohmann::json& value) const;
  // The value nearest to an internal point: clamped to the bounds, snapped to the step, an integer for int
  // parameters, the choice at the rounded index for categorical ones.
  nlohmann::json from_internal(double internal) const;
  // Every value, for spaces a grid can cover: the choices, each int, or each step of a stepped float; nullopt for
  // continuous floats or more than `limit` values.
  std::optional<std::vector<nlohmann::json>> grid_values(size_t limit) const;
  // A value drawn uniformly (in log space for log parameters; each step or choice equally likely).
  nlohmann::json sample_uniform(std::mt19937_64& rng) const;
};

class SearchSpace {
 public:
  // Reads the `space` object: {"x": {"type": "float", "low", "high", "log": false, "step": null},
  // "n": {"type": "int", "low", "high", "step", "log"}, "c": {"type": "categorical", "choices": [...]},
  // "y": {..., "condition": {"param": "c", "in": [...]}}}. INVALID_ARGUMENT naming the parameter and field for
  // anything wrong: unknown fields or types, low > high, log with low <= 0, a step that does not divide the range,
  // duplicate or non-scalar choices, a condition on an unknown, non-categorical or cyclic parent.
  static Result<SearchSpace> parse(const nlohmann::json& space);

  // Parents before their children, otherwise by name: the order samplers decide parameters in.
  const std::vector<ParamSpec>& params() const { return params_; }
  const ParamSpec* find(const std::string& name) const;
  // Whether `spec` is active given the values decided so far (its parent's value is one of parent_values).
  bool active(const ParamSpec& spec, const nlohmann::json& params) const;
  // OK when `params` holds exactly the active parameters, each a valid value of its spec.
  Status check(const nlohmann::json& params) const;
  // The space as parse() reads it back.
  nlohmann::json to_json() const;

 private:
  std::vector<ParamSpec> params_;
};

}  // namespace maas::hpo
