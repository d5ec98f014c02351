// Reading the parameters an executor gets (JobContext::params(), as its kind's validate() wrote them). Header-only,
// so executors in maas-job and plugins share it without a library. Pure functions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas::jobs {

// params[key] as a string; INVALID_ARGUMENT naming params.<key> otherwise.
inline Result<std::string> string_param(const nlohmann::json& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end() || !it->is_string())
    return invalid_argument(std::string("params.") + key + " must be a string");
  return it->get<std::string>();
}

// params[key] naming something by name or reference: a non-empty string, or an integer (a version number) as its
// text; `fallback` when absent or null (INVALID_ARGUMENT "params.<key> is required" when there is none).
inline Result<std::string> ref_param(const nlohmann::json& params, const char* key, const char* fallback) {
  auto it = params.find(key);
  if (it == params.end() || it->is_null()) {
    if (fallback) return std::string(fallback);
    return invalid_argument(std::string("params.") + key + " is required");
  }
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  if (!it->is_string() || it->get<std::string>().empty()) {
    return invalid_argument(std::string("params.") + key + " must be a non-empty string");
  }
  return it->get<std::string>();
}

// OK when `params` is an object whose keys are all in `allowed`; otherwise INVALID_ARGUMENT naming the first other
// key and listing the parameters of `kind`.
inline Status check_param_keys(const nlohmann::json& params, std::string_view kind,
                               std::initializer_list<std::string_view> allowed) {
  if (!params.is_object()) return invalid_argument("params must be a JSON object");
  for (const auto& [key, value] : params.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string names;
    for (std::string_view name : allowed) names += (names.empty() ? "" : ", ") + std::string(name);
    return invalid_argument("params." + key + " is not a parameter of " + std::string(kind) + " (" + names + ")");
  }
  return {};
}

// params[key] as an unsigned integer, `fallback` when absent or of another type.
inline uint64_t unsigned_param(const nlohmann::json& params, const char* key, uint64_t fallback) {
  auto it = params.find(key);
  return it != params.end() && it->is_number_unsigned() ? it->get<uint64_t>() : fallback;
}

}  // namespace maas::jobs
