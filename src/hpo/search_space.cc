#include "hpo/search_space.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <utility>

#include "common/json_fields.h"

namespace maas::hpo {
namespace {

// Integers a double holds exactly.
constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53
// How far from a multiple of the step a float may be and still count as on it (relative to the step).
constexpr double kStepTolerance = 1e-9;

Result<double> read_number(const nlohmann::json& spec, const std::string& where, const char* field) {
  const auto it = spec.find(field);
  if (it == spec.end()) return invalid_argument(fmt::format("'{}.{}' is required", where, field));
  if (!it->is_number()) return invalid_argument(fmt::format("'{}.{}' must be a number", where, field));
  const double value = it->get<double>();
  if (!std::isfinite(value)) return invalid_argument(fmt::format("'{}.{}' must be finite", where, field));
  return value;
}

bool is_integer(double value) { return std::trunc(value) == value && std::fabs(value) <= kMaxExactInteger; }

bool on_step(double value, double low, double step) {
  const double k = (value - low) / step;
  return std::fabs(k - std::round(k)) <= kStepTolerance * std::max(1.0, std::fabs(k));
}

Status read_numeric(const nlohmann::json& spec, const std::string& where, ParamSpec& out) {
  MAAS_ASSIGN_OR_RETURN(out.low, read_number(spec, where, "low"));
  MAAS_ASSIGN_OR_RETURN(out.high, read_number(spec, where, "high"));
  if (out.low > out.high) {
    return invalid_argument(fmt::format("'{}': low ({}) is above high ({})", where, out.low, out.high));
  }
  const bool is_int = out.type == ParamType::kInt;
  if (is_int && (!is_integer(out.low) || !is_integer(out.high))) {
    return invalid_argument(fmt::format("'{}': an int parameter's low and high must be integers", where));
  }
  if (const auto it = spec.find("log"); it != spec.end() && !it->is_null()) {
    if (!it->is_boolean()) return invalid_argument(fmt::format("'{}.log' must be true or false", where));
    out.log = it->get<bool>();
  }
  if (out.log && out.low <= 0) {
    return invalid_argument(fmt::format("'{}': a log scale needs low > 0 (got {})", where, out.low));
  }
  if (const auto it = spec.find("step"); it != spec.end() && !it->is_null()) {
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() <= 0) {
      return invalid_argument(fmt::format("'{}.step' must be a positive number", where));
    }
    const double step = it->get<double>();
    if (out.log) return invalid_argument(fmt::format("'{}': step and log cannot be used together", where));
    if (is_int && !is_integer(step)) {
      return invalid_argument(fmt::format("'{}.step' must be an integer for an int parameter", where));
    }
    if (!on_step(out.high, out.low, step)) {
      return invalid_argument(
          fmt::format("'{}.step' ({}) must divide high - low ({})", where, step, out.high - out.low));
    }
    out.step = step;
  }
  return {};
}

Status read_choices(const nlohmann::json& spec, const std::string& where, ParamSpec& out) {
  const auto it = spec.find("choices");
  if (it == spec.end() || !it->is_array() || it->empty()) {
    return invalid_argument(fmt::format("'{}.choices' must be a non-empty array", where));
  }
  if (it->size() > kMaxChoices) {
    return invalid_argument(fmt::format("'{}.choices' has {} entries; at most {}", where, it->size(), kMaxChoices));
  }
  for (const auto& choice : *it) {
    if (!choice.is_primitive() || (choice.is_number_float() && !std::isfinite(choice.get<double>()))) {
      return invalid_argument(
          fmt::format("'{}.choices' may hold strings, finite numbers, booleans and null only", where));
    }
    if (std::find(out.choices.begin(), out.choices.end(), choice) != out.choices.end()) {
      return invalid_argument(fmt::format("'{}.choices' lists {} twice", where, choice.dump()));
    }
    out.choices.push_back(choice);
  }
  return {};
}

Status read_condition(const nlohmann::json& spec, const std::string& where, ParamSpec& out) {
  const auto it = spec.find("condition");
  if (it == spec.end() || it->is_null()) return {};
  MAAS_RETURN_IF_ERROR(check_known_fields(*it, where + ".condition", {"param", "in"}));
  const auto param = it->find("param");
  const auto in = it->find("in");
  if (param == it->end() || !param->is_string()) {
    return invalid_argument(fmt::format("'{}.condition.param' must name a categorical parameter", where));
  }
  if (in == it->end() || !in->is_array() || in->empty()) {
    return invalid_argument(fmt::format("'{}.condition.in' must be a non-empty array of the parent's choices", where));
  }
  out.parent = param->get<std::string>();
  out.parent_values.assign(in->begin(), in->end());
  return {};
}

Result<ParamSpec> read_param(const std::string& name, const nlohmann::json& spec) {
  const std::string where = "space." + name;
  if (name.empty() || name.size() > kMaxParamNameBytes ||
      std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return invalid_argument(
        fmt::format("parameter names must be 1 to {} bytes without control characters", kMaxParamNameBytes));
  }
  if (!spec.is_object()) return invalid_argument(fmt::format("'{}' must be an object", where));
  const auto type = spec.find("type");
  if (type == spec.end() || !type->is_string()) {
    return invalid_argument(fmt::format("'{}.type' must be \"float\", \"int\" or \"categorical\"", where));
  }
  ParamSpec out;
  out.name = name;
  const auto type_name = type->get<std::string>();
  if (type_name == "float" || type_name == "int") {
    MAAS_RETURN_IF_ERROR(check_known_fields(spec, where, {"type", "low", "high", "log", "step", "condition"}));
    out.type = type_name == "float" ? ParamType::kFloat : ParamType::kInt;
    MAAS_RETURN_IF_ERROR(read_numeric(spec, where, out));
  } else if (type_name == "categorical") {
    MAAS_RETURN_IF_ERROR(check_known_fields(spec, where, {"type", "choices", "condition"}));
    out.type = ParamType::kCategorical;
    MAAS_RETURN_IF_ERROR(read_choices(spec, where, out));
  } else {
    return invalid_argument(
        fmt::format("'{}.type' is \"{}\"; expected \"float\", \"int\" or \"categorical\"", where, type_name));
  }
  MAAS_RETURN_IF_ERROR(read_condition(spec, where, out));
  return out;
}

// Parents first (a parent must be decided before its children), otherwise by name; a cycle is an error.
Result<std::vector<ParamSpec>> ordered(std::vector<ParamSpec> params) {
  std::vector<ParamSpec> out;
  std::set<std::string> placed;
  while (!params.empty()) {
    const auto ready = std::stable_partition(
        params.begin(), params.end(), [&](const ParamSpec& p) { return !p.parent || placed.contains(*p.parent); });
    if (ready == params.begin()) {
      return invalid_argument(fmt::format("the conditions of '{}' form a cycle", params.front().name));
    }
    for (auto it = params.begin(); it != ready; ++it) placed.insert(it->name);
    out.insert(out.end(), std::make_move_iterator(params.begin()), std::make_move_iterator(ready));
    params.erase(params.begin(), ready);
  }
  return out;
}

}  // namespace

double ParamSpec::internal_low() const {
  if (type == ParamType::kCategorical) return 0;
  return log ? std::log(low) : low;
}

double ParamSpec::internal_high() const {
  if (type == ParamType::kCategorical) return static_cast<double>(choices.size() - 1);
  return log ? std::log(high) : high;
}

double ParamSpec::to_internal(const nlohmann::json& value) const {
  if (type == ParamType::kCategorical) {
    const auto it = std::find(choices.begin(), choices.end(), value);
    return static_cast<double>(it - choices.begin());
  }
  const double v = value.get<double>();
  return log ? std::log(v) : v;
}

nlohmann::json ParamSpec::from_internal(double internal) const {
  const double x = std::clamp(std::isnan(internal) ? internal_low() : internal, internal_low(), internal_high());
  if (type == ParamType::kCategorical) {
    return choices[static_cast<size_t>(std::llround(x))];
  }
  double v = std::clamp(log ? std::exp(x) : x, low, high);
  const double s = step.value_or(type == ParamType::kInt ? 1.0 : 0.0);
  if (s > 0) v = std::clamp(low + std::round((v - low) / s) * s, low, high);
  if (type == ParamType::kInt) return static_cast<int64_t>(std::llround(v));
  return v;
}

std::optional<std::vector<nlohmann::json>> ParamSpec::grid_values(size_t limit) const {
  if (type == ParamType::kCategorical) {
    if (choices.size() > limit) return std::nullopt;
    return choices;
  }
  const double s = step.value_or(type == ParamType::kInt ? 1.0 : 0.0);
  if (s <= 0) return std::nullopt;
  const double count = std::round((high - low) / s) + 1;
  if (count > static_cast<double>(limit)) return std::nullopt;
  std::vector<nlohmann::json> values;
  for (size_t k = 0; k < static_cast<size_t>(count); ++k) {
    const double v = std::min(high, low + static_cast<double>(k) * s);
    values.push_back(type == ParamType::kInt ? nlohmann::json(static_cast<int64_t>(std::llround(v)))
                                             : nlohmann::json(v));
  }
  return values;
}

nlohmann::json ParamSpec::sample_uniform(std::mt19937_64& rng) const {
  if (type == ParamType::kCategorical) {
    return choices[std::uniform_int_distribution<size_t>(0, choices.size() - 1)(rng)];
  }
  const double s = step.value_or(type == ParamType::kInt ? 1.0 : 0.0);
  if (s > 0 && !log) {
    const auto steps = static_cast<int64_t>(std::llround((high - low) / s));
    const auto k = std::uniform_int_distribution<int64_t>(0, steps)(rng);
    return from_internal(low + static_cast<double>(k) * s);
  }
  if (type == ParamType::kInt) {
    // Each integer owns the interval around it, in log space for log scales (as Optuna samples log ints).
    const double lo = std::log(low - 0.5);
    const double hi = std::log(high + 0.5);
    return from_internal(std::uniform_real_distribution<double>(lo, hi)(rng));
  }
  return from_internal(std::uniform_real_distribution<double>(internal_low(), internal_high())(rng));
}

Result<SearchSpace> SearchSpace::parse(const nlohmann::json& space) {
  if (!space.is_object() || space.empty()) {
    return invalid_argument("'space' must be an object naming at least one parameter");
  }
  if (space.size() > kMaxParams) {
    return invalid_argument(fmt::format("'space' has {} parameters; at most {}", space.size(), kMaxParams));
  }
  std::vector<ParamSpec> params;
  for (const auto& [name, spec] : space.items()) {
    MAAS_ASSIGN_OR_RETURN(auto param, read_param(name, spec));
    params.push_back(std::move(param));
  }
  for (const auto& param : params) {
    if (!param.parent) continue;
    const auto parent =
        std::find_if(params.begin(), params.end(), [&](const ParamSpec& p) { return p.name == *param.parent; });
    if (parent == params.end()) {
      return invalid_argument(fmt::format("'space.{}.condition.param' names '{}', not a parameter of the space",
                                          param.name, *param.parent));
    }
    if (parent->type != ParamType::kCategorical) {
      return invalid_argument(
          fmt::format("'space.{}.condition.param': '{}' must be categorical", param.name, *param.parent));
    }
    for (const auto& value : param.parent_values) {
      if (std::find(parent->choices.begin(), parent->choices.end(), value) == parent->choices.end()) {
        return invalid_argument(fmt::format("'space.{}.condition.in' lists {}, not a choice of '{}'", param.name,
                                            value.dump(), *param.parent));
      }
    }
  }
  SearchSpace out;
  MAAS_ASSIGN_OR_RETURN(out.params_, ordered(std::move(params)));
  return out;
}

const ParamSpec* SearchSpace::find(const std::string& name) const {
  const auto it = std::find_if(params_.begin(), params_.end(), [&](const ParamSpec& p) { return p.name == name; });
  return it == params_.end() ? nullptr : &*it;
}

bool SearchSpace::active(const ParamSpec& spec, const nlohmann::json& params) const {
  if (!spec.parent) return true;
  const auto value = params.find(*spec.parent);
  if (value == params.end()) return false;
  return std::find(spec.parent_values.begin(), spec.parent_values.end(), *value) != spec.parent_values.end();
}

Status SearchSpace::check(const nlohmann::json& params) const {
  if (!params.is_object()) return invalid_argument("'params' must be an object");
  for (const auto& [name, value] : params.items()) {
    if (find(name) == nullptr) return invalid_argument(fmt::format("'{}' is not a parameter of the space", name));
  }
  for (const auto& spec : params_) {
    const auto value = params.find(spec.name);
    const bool is_active = active(spec, params);
    if (!is_active) {
      if (value != params.end()) {
        return invalid_argument(fmt::format("'{}' is inactive under its condition on '{}'", spec.name, *spec.parent));
      }
      continue;
    }
    if (value == params.end()) return invalid_argument(fmt::format("'{}' is missing", spec.name));
    if (spec.type == ParamType::kCategorical) {
      if (std::find(spec.choices.begin(), spec.choices.end(), *value) == spec.choices.end()) {
        return invalid_argument(fmt::format("'{}' = {} is not one of its choices", spec.name, value->dump()));
      }
      continue;
    }
    if (!value->is_number() || !std::isfinite(value->get<double>())) {
      return invalid_argument(fmt::format("'{}' must be a finite number", spec.name));
    }
    const double v = value->get<double>();
    if (v < spec.low || v > spec.high) {
      return invalid_argument(fmt::format("'{}' = {} is outside [{}, {}]", spec.name, v, spec.low, spec.high));
    }
    if (spec.type == ParamType::kInt && !is_integer(v)) {
      return invalid_argument(fmt::format("'{}' = {} must be an integer", spec.name, v));
    }
    if (spec.step && !on_step(v, spec.low, *spec.step)) {
      return invalid_argument(fmt::format("'{}' = {} is not low + k * step", spec.name, v));
    }
  }
  return {};
}

nlohmann::json SearchSpace::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& spec : params_) {
    nlohmann::json p;
    if (spec.type == ParamType::kCategorical) {
      p = {{"type", "categorical"}, {"choices", spec.choices}};
    } else {
      const bool is_int = spec.type == ParamType::kInt;
      p = {{"type", is_int ? "int" : "float"}, {"log", spec.log}};
      p["low"] = is_int ? nlohmann::json(static_cast<int64_t>(spec.low)) : nlohmann::json(spec.low);
      p["high"] = is_int ? nlohmann::json(static_cast<int64_t>(spec.high)) : nlohmann::json(spec.high);
      p["step"] = spec.step ? (is_int ? nlohmann::json(static_cast<int64_t>(*spec.step)) : nlohmann::json(*spec.step))
                            : nlohmann::json(nullptr);
    }
    if (spec.parent) p["condition"] = {{"param", *spec.parent}, {"in", spec.parent_values}};
    out[spec.name] = std::move(p);
  }
  return out;
}

}  // namespace maas::hpo
