// The body of the Open Inference Protocol's repository load and unload, read strictly at the edge:
// {"parameters": {"version"?: number or alias, "config"?: object or JSON text (as Triton sends it),
//  "keep_other_versions"?: bool}}. Other parameters are Triton's and are ignored. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::api {

struct RepositoryRequest {
  std::optional<std::string> version;  // a version number or an alias; none: the latest
  nlohmann::json config;               // null when absent
  bool keep_other_versions = false;
};

// An empty body is an empty request. INVALID_ARGUMENT naming the field at fault.
Result<RepositoryRequest> parse_repository_request(std::string_view body);

}  // namespace maas::api
