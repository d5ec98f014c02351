#include "api/repository_request.h"

#include "api/json_io.h"
#include "common/json_parse.h"

namespace maas::api {

Result<RepositoryRequest> parse_repository_request(std::string_view body) {
  RepositoryRequest request;
  if (body.empty()) return request;
  MAAS_ASSIGN_OR_RETURN(nlohmann::json root, parse_json(body));
  if (!root.is_object()) return invalid_argument("the body must be a JSON object");
  const nlohmann::json* params = find_field(root, "parameters");
  if (params == nullptr) return request;
  if (!params->is_object()) return invalid_argument("'parameters' must be an object");
  if (const nlohmann::json* version = find_field(*params, "version")) {
    if (version->is_number_integer()) {
      request.version = version->dump();
    } else if (version->is_string()) {
      request.version = version->get<std::string>();
    } else {
      return invalid_argument("'parameters.version' must be a version number or an alias");
    }
  }
  if (const nlohmann::json* config = find_field(*params, "config")) {
    if (config->is_string()) {
      // Triton passes the config as JSON text.
      MAAS_ASSIGN_OR_RETURN(request.config, parse_json(config->get<std::string>(), "parameters.config"));
    } else {
      request.config = *config;
    }
  }
  MAAS_ASSIGN_OR_RETURN(std::optional<bool> keep, optional_bool(*params, "keep_other_versions"));
  request.keep_other_versions = keep.value_or(false);
  return request;
}

}  // namespace maas::api
