// The management API (/api/v1) and the Open Inference Protocol (/v2) in JSON terms: request paths built from
// user-given names, JSON bodies, and error responses decoded into a Status.
#pragma once

#include <chrono>
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

inline constexpr std::string_view kRepositoryIndexPath = "/v2/repository/index";
inline constexpr std::string_view kModelStatsPath = "/v2/models/stats";
inline constexpr std::string_view kMetricsPath = "/metrics";

// /v2/models/{model}/infer, or /v2/models/{model}/versions/{ref}/infer when `ref` is not empty.
std::string infer_path(std::string_view model, std::string_view ref);
std::string load_path(std::string_view model);    // /v2/repository/models/{model}/load
std::string unload_path(std::string_view model);  // /v2/repository/models/{model}/unload

// A 2xx response as JSON (null for an empty body, as a 204 has), or the Status an error response means. The
// X-Request-Id of a 5xx is added to the message so that it can be found in the server's log.
Result<nlohmann::json> decode_response(const HttpResponse& response);

// Borrows the HttpClient, which must outlive it. Not thread-safe.
class ApiClient {
 public:
  explicit ApiClient(HttpClient& http) : http_(http) {}

  Result<nlohmann::json> get(std::string_view path);
  // `response_timeout`: see RequestOptions; zero waits as long as any call does.
  Result<nlohmann::json> post(std::string_view path, const nlohmann::json& body,
                              std::chrono::milliseconds response_timeout = std::chrono::milliseconds(0));
  Result<nlohmann::json> put(std::string_view path, const nlohmann::json& body);
  Result<nlohmann::json> patch(std::string_view path, const nlohmann::json& body);
  Status remove(std::string_view path);

  HttpClient& http() { return http_; }

 private:
  Result<nlohmann::json> call(HttpMethod method, std::string_view path, const nlohmann::json* body,
                              std::chrono::milliseconds response_timeout = std::chrono::milliseconds(0));

  HttpClient& http_;
};

}  // namespace maas::cli
