// Turning error responses into a Status, robust to bodies that are not the documented shape.
#include "cli/api_error.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace maas::cli {
namespace {

constexpr size_t kMaxQuotedBody = 200;

// The start of a body on one line, runs of whitespace collapsed (an HTML error page is mostly indentation).
std::string quote_body(std::string_view body) {
  std::string text;
  bool in_space = false;
  for (char c : body) {
    if (text.size() >= kMaxQuotedBody) {
      text += "...";
      break;
    }
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space && (in_space || text.empty())) continue;
    text += space ? ' ' : c;
    in_space = space;
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

StatusCode status_code_from_http_status(int http_status) {
  switch (http_status) {
    case 400:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 405:
      return StatusCode::kMethodNotAllowed;
    case 409:
      return StatusCode::kFailedPrecondition;
    case 413:
      return StatusCode::kPayloadTooLarge;
    case 415:
      return StatusCode::kUnsupportedMediaType;
    case 429:
      return StatusCode::kResourceExhausted;
    case 502:
    case 503:
      return StatusCode::kUnavailable;
    case 504:
      return StatusCode::kDeadlineExceeded;
    default:
      break;
  }
  // Other 4xx (411, 414, 431, ...) mean the server would not take the request as sent.
  if (http_status >= 400 && http_status < 500) return StatusCode::kInvalidArgument;
  return StatusCode::kInternal;
}

Status status_from_error_response(int http_status, std::string_view body) {
  const StatusCode fallback = status_code_from_http_status(http_status);
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_object() && json.contains("error") && json["error"].is_object()) {
    const auto& error = json["error"];
    StatusCode code = fallback;
    if (error.contains("code") && error["code"].is_string()) {
      code = status_code_from_name(error["code"].get<std::string>()).value_or(fallback);
    }
    std::string message = error.contains("message") && error["message"].is_string()
                              ? error["message"].get<std::string>()
                              : "HTTP " + std::to_string(http_status);
    return {code, std::move(message)};
  }
  // The Open Inference Protocol's shape, {"error": "message"}: the HTTP status is all there is to go by.
  if (json.is_object() && json.contains("error") && json["error"].is_string() &&
      !json["error"].get_ref<const std::string&>().empty()) {
    return {fallback, json["error"].get<std::string>()};
  }
  std::string message = "HTTP " + std::to_string(http_status);
  if (!body.empty()) message += ": " + quote_body(body);
  return {fallback, std::move(message)};
}

}  // namespace maas::cli
