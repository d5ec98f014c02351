#include "hpo/options.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace maas::hpo {
namespace {

const nlohmann::json* find_option(const nlohmann::json& config, const char* field) {
  if (!config.is_object()) return nullptr;
  const auto it = config.find(field);
  return it == config.end() || it->is_null() ? nullptr : &*it;
}

// The integer `value` holds, when it holds one that fits int64 (an unsigned above INT64_MAX does not).
std::optional<int64_t> int64_of(const nlohmann::json& value) {
  if (!value.is_number_integer()) return std::nullopt;
  if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t{std::numeric_limits<int64_t>::max()}) {
    return std::nullopt;
  }
  return value.get<int64_t>();
}

}  // namespace

Result<int64_t> option_int(const nlohmann::json& config, std::string_view where, const char* field, int64_t fallback,
                           int64_t low, int64_t high) {
  const auto* value = find_option(config, field);
  if (value == nullptr) return fallback;
  const auto number = int64_of(*value);
  if (!number || *number < low || *number > high) {
    return invalid_argument(fmt::format("'{}.{}' must be an integer from {} to {}", where, field, low, high));
  }
  return *number;
}

Result<uint64_t> option_uint64(const nlohmann::json& config, std::string_view where, const char* field,
                               uint64_t fallback) {
  const auto* value = find_option(config, field);
  if (value == nullptr) return fallback;
  if (value->is_number_unsigned()) return value->get<uint64_t>();
  if (!value->is_number_integer() || value->get<int64_t>() < 0) {
    return invalid_argument(
        fmt::format("'{}.{}' must be an integer from 0 to {}", where, field, std::numeric_limits<uint64_t>::max()));
  }
  return static_cast<uint64_t>(value->get<int64_t>());
}

Result<double> option_number(const nlohmann::json& config, std::string_view where, const char* field, double fallback,
                             double low, double high) {
  const auto* value = find_option(config, field);
  if (value == nullptr) return fallback;
  if (!value->is_number() || !std::isfinite(value->get<double>()) || value->get<double>() < low ||
      value->get<double>() > high) {
    return invalid_argument(fmt::format("'{}.{}' must be a number from {} to {}", where, field, low, high));
  }
  return value->get<double>();
}

Result<bool> option_bool(const nlohmann::json& config, std::string_view where, const char* field, bool fallback) {
  const auto* value = find_option(config, field);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) return invalid_argument(fmt::format("'{}.{}' must be true or false", where, field));
  return value->get<bool>();
}

Result<std::optional<int64_t>> option_int_or_auto(const nlohmann::json& config, std::string_view where,
                                                  const char* field, std::optional<int64_t> fallback, int64_t max) {
  const auto* value = find_option(config, field);
  if (value == nullptr) return fallback;
  if (value->is_string() && value->get_ref<const std::string&>() == "auto") return std::optional<int64_t>();
  const auto number = int64_of(*value);
  if (!number || *number < 1 || *number > max) {
    return invalid_argument(fmt::format("'{}.{}' must be \"auto\" or an integer from 1 to {}", where, field, max));
  }
  return number;
}

}  // namespace maas::hpo
