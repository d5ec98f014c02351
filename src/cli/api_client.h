// The management API (/api/v1) in JSON terms: request paths built from user-given names, JSON bodies, and
// error responses decoded into a Status.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cli/http_client.h"
#include "common/status.h"

namespace maas::cli {

inline constexpr std::string_view kHealthPath = "/api/v1/health";
inline constexpr std::string_view kServerVersionPath = "/api/v1/version";
inline constexpr std::string_view kModelsPath = "/api/v1/models";

// Each name is percent-encoded into one path segment, so no name can reach another route.
std::string model_path(std::string_view model);
std::string versions_path(std::string_view model);
std::string version_path(std::string_view model, std::string_view ref);
std::string artifact_path(std::string_view model, std::string_view ref);
std::string alias_path(std::string_view model, std::string_view alias);

// A 2xx response as JSON (null for an empty body, as a 204 has), or the Status an error response means. The
// X-Request-Id of a 5xx is added to the message so that it can be found in the server's log.
Result<nlohmann::json> decode_response(const HttpResponse& response);

// Borrows the HttpClient, which must outlive it. Not thread-safe.
class ApiClient {
 public:
  explicit ApiClient(HttpClient& http) : http_(http) {}

  Result<nlohmann::json> get(std::string_view path);
  Result<nlohmann::json> post(std::string_view path, const nlohmann::json& body);
  Result<nlohmann::json> put(std::string_view path, const nlohmann::json& body);
  Result<nlohmann::json> patch(std::string_view path, const nlohmann::json& body);
  Status remove(std::string_view path);

  HttpClient& http() { return http_; }

 private:
  Result<nlohmann::json> call(HttpMethod method, std::string_view path, const nlohmann::json* body);

  HttpClient& http_;
};

}  // namespace maas::cli
