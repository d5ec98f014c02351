// Reading the parameters an executor gets (JobContext::params(), as its kind's validate() wrote them). Header-only,
// so executors in maas-job and plugins share it without a library. Pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace maas::jobs {

// params[key] as a string; INVALID_ARGUMENT naming params.<key> otherwise.
inline Result<std::string> string_param(const nlohmann::json& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end() || !it->is_string())
    return invalid_argument(std::string("params.") + key + " must be a string");
  return it->get<std::string>();
}

// params[key] as an unsigned integer, `fallback` when absent or of another type.
inline uint64_t unsigned_param(const nlohmann::json& params, const char* key, uint64_t fallback) {
  auto it = params.find(key);
  return it != params.end() && it->is_number_unsigned() ? it->get<uint64_t>() : fallback;
}

}  // namespace maas::jobs
