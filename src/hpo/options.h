// Reading a sampler's or a pruner's options from its config object strictly: a wrong type or a value out of range is
// INVALID_ARGUMENT naming the field as '<where>.<field>' (where is "sampler" or "pruner"); absent or null is the
// default. Pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "common/status.h"

namespace maas::hpo {

// An integer in [low, high].
Result<int64_t> option_int(const nlohmann::json& config, std::string_view where, const char* field, int64_t fallback,
                           int64_t low, int64_t high);
// Any non-negative integer up to 2^64 - 1 (a seed).
Result<uint64_t> option_uint64(const nlohmann::json& config, std::string_view where, const char* field,
                               uint64_t fallback);
// A finite number in [low, high].
Result<double> option_number(const nlohmann::json& config, std::string_view where, const char* field, double fallback,
                             double low, double high);
Result<bool> option_bool(const nlohmann::json& config, std::string_view where, const char* field, bool fallback);
// An integer in [1, max], or nullopt for "auto".
Result<std::optional<int64_t>> option_int_or_auto(const nlohmann::json& config, std::string_view where,
                                                  const char* field, std::optional<int64_t> fallback, int64_t max);

}  // namespace maas::hpo
