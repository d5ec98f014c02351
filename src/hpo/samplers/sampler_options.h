// Reading a sampler's options from its config object strictly (a wrong type or a value out of range is
// INVALID_ARGUMENT naming the field), and the one-objective check the single-objective samplers share.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "common/status.h"

namespace maas::hpo {

// config[field] when present and not null, else `fallback`; an integer (a number) in [low, high].
Result<int64_t> option_int(const nlohmann::json& config, const char* field, int64_t fallback, int64_t low,
                           int64_t high);
Result<double> option_number(const nlohmann::json& config, const char* field, double fallback, double low, double high);
Result<bool> option_bool(const nlohmann::json& config, const char* field, bool fallback);

// INVALID_ARGUMENT unless the study has exactly one objective: "the '<sampler>' sampler optimizes one objective...".
Status require_single_objective(std::string_view sampler, size_t objectives);

}  // namespace maas::hpo
