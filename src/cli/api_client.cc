// JSON calls to the management API on top of HttpClient.
#include "cli/api_client.h"

#include "cli/api_error.h"
#include "cli/url.h"

namespace maas::cli {

std::string model_path(std::string_view model) { return std::string(kModelsPath) + "/" + percent_encode(model); }

std::string versions_path(std::string_view model) { return model_path(model) + "/versions"; }

std::string version_path(std::string_view model, std::string_view ref) {
  return versions_path(model) + "/" + percent_encode(ref);
}

std::string artifact_path(std::string_view model, std::string_view ref) {
  return version_path(model, ref) + "/artifact";
}

std::string alias_path(std::string_view model, std::string_view alias) {
  return model_path(model) + "/aliases/" + percent_encode(alias);
}

std::string infer_path(std::string_view model, std::string_view ref) {
  std::string path = "/v2/models/" + percent_encode(model);
  if (!ref.empty()) path += "/versions/" + percent_encode(ref);
  return path + "/infer";
}

std::string load_path(std::string_view model) { return "/v2/repository/models/" + percent_encode(model) + "/load"; }

std::string unload_path(std::string_view model) { return "/v2/repository/models/" + percent_encode(model) + "/unload"; }

Result<nlohmann::json> decode_response(const HttpResponse& response) {
  if (response.status < 200 || response.status >= 300) {
    Status status = status_from_error_response(response.status, response.body);
    if (response.status >= 500 && !response.request_id.empty()) {
      return Status(status.code(), status.message() + " [request " + response.request_id + "]");
    }
    return status;
  }
  if (response.body.empty()) return nlohmann::json();
  auto json = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return internal_error("the server answered HTTP " + std::to_string(response.status) +
                          " with a body that is not JSON");
  }
  return json;
}

Result<nlohmann::json> ApiClient::get(std::string_view path) { return call(HttpMethod::kGet, path, nullptr); }

Result<nlohmann::json> ApiClient::post(std::string_view path, const nlohmann::json& body,
                                       std::chrono::milliseconds response_timeout) {
  return call(HttpMethod::kPost, path, &body, response_timeout);
}

Result<nlohmann::json> ApiClient::put(std::string_view path, const nlohmann::json& body) {
  return call(HttpMethod::kPut, path, &body);
}

Result<nlohmann::json> ApiClient::patch(std::string_view path, const nlohmann::json& body) {
  return call(HttpMethod::kPatch, path, &body);
}

Status ApiClient::remove(std::string_view path) { return call(HttpMethod::kDelete, path, nullptr).status(); }

Result<nlohmann::json> ApiClient::call(HttpMethod method, std::string_view path, const nlohmann::json* body,
                                       std::chrono::milliseconds response_timeout) {
  RequestOptions options;
  options.response_timeout = response_timeout;
  Result<HttpResponse> response =
      body == nullptr ? http_.send(method, path, {}, {}, options)
                      : http_.send(method, path, "application/json",
                                   body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), options);
  if (!response.ok()) return response.status();
  return decode_response(*response);
}

}  // namespace maas::cli
