#include "hpo/pruners/pruner_options.h"

#include <fmt/format.h>

#include <cmath>

namespace maas::hpo {

Result<int64_t> pruner_int(const nlohmann::json& config, const char* field, int64_t fallback, int64_t min,
                           int64_t max) {
  const auto it = config.find(field);
  if (it == config.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max ||
      (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(max))) {
    return invalid_argument(fmt::format("'pruner.{}' must be an integer from {} to {}", field, min, max));
  }
  return it->get<int64_t>();
}

Result<double> pruner_number(const nlohmann::json& config, const char* field, double fallback, double min, double max) {
  const auto it = config.find(field);
  if (it == config.end() || it->is_null()) return fallback;
  if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < min || it->get<double>() > max) {
    return invalid_argument(fmt::format("'pruner.{}' must be a number from {} to {}", field, min, max));
  }
  return it->get<double>();
}

Result<std::optional<int64_t>> pruner_int_or_auto(const nlohmann::json& config, const char* field,
                                                  std::optional<int64_t> fallback, int64_t max) {
  const auto it = config.find(field);
  if (it == config.end() || it->is_null()) return fallback;
  if (it->is_string() && it->get_ref<const std::string&>() == "auto") return std::optional<int64_t>();
  if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > max || it->is_number_float()) {
    return invalid_argument(fmt::format("'pruner.{}' must be \"auto\" or an integer from 1 to {}", field, max));
  }
  return std::optional<int64_t>(it->get<int64_t>());
}

}  // namespace maas::hpo
