#include "hpo/samplers/sampler_options.h"

#include <fmt/format.h>

#include <cmath>

namespace maas::hpo {
namespace {

const nlohmann::json* find_option(const nlohmann::json& config, const char* field) {
  if (!config.is_object()) return nullptr;
  const auto it = config.find(field);
  return it == config.end() || it->is_null() ? nullptr : &*it;
}

}  // namespace

Result<int64_t> option_int(const nlohmann::json& config, const char* field, int64_t fallback, int64_t low,
                           int64_t high) {
  const auto* value = find_option(config, field);
  if (value == nullptr) return fallback;
  if (!value->is_number_integer() || value->get<int64_t>() < low || value->get<int64_t>() > high) {
    return invalid_argument(fmt::format("'sampler.{}' must be an integer from {} to {}", field, low, high));
  }
  return value->get<int64_t>();
}

Result<double> option_number(const nlohmann::json& config, const char* field, double fallback, double low,
                             double high) {
  const auto* value = find_option(config, field);
  if (value == nullptr) return fallback;
  if (!value->is_number() || !std::isfinite(value->get<double>()) || value->get<double>() < low ||
      value->get<double>() > high) {
    return invalid_argument(fmt::format("'sampler.{}' must be a number from {} to {}", field, low, high));
  }
  return value->get<double>();
}

Result<bool> option_bool(const nlohmann::json& config, const char* field, bool fallback) {
  const auto* value = find_option(config, field);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) return invalid_argument(fmt::format("'sampler.{}' must be true or false", field));
  return value->get<bool>();
}

Status require_single_objective(std::string_view sampler, size_t objectives) {
  if (objectives == 1) return {};
  return invalid_argument(fmt::format(
      "the '{}' sampler optimizes one objective and this study has {}; use 'nsga2' (or 'random', 'sobol', 'grid') "
      "for several objectives",
      sampler, objectives));
}

}  // namespace maas::hpo
