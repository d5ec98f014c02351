// JSON at the edge of the management API: strict parsing of request bodies into typed values (unknown fields
// and wrong types are errors that name the field), and rendering of registry views.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "http/request.h"
#include "registry/registry.h"

namespace maas::api {

// Parses the body as a JSON object; 415 for a non-JSON content type, 400 for bad JSON or unknown fields.
// The body as a JSON object: 415 for a non-JSON Content-Type, 400 for an empty, malformed or non-object body.
Result<nlohmann::json> parse_json_body(const http::Request& req);
Result<nlohmann::json> parse_json_object(const http::Request& req, std::initializer_list<const char*> allowed_fields);

Result<std::optional<std::string>> optional_string(const nlohmann::json& body, const char* field, size_t max_len);
Result<std::optional<store::StringMap>> optional_string_map(const nlohmann::json& body, const char* field);
// An object of numbers (metrics).
Result<std::optional<nlohmann::json>> optional_number_map(const nlohmann::json& body, const char* field);
// {source?, run_id?, dataset?: strings, parameters?: {string: string}}
Result<std::optional<nlohmann::json>> optional_lineage(const nlohmann::json& body, const char* field);

// The body of an alias assignment, {"version": 3} (or "3"): the positive version number it names.
Result<int64_t> alias_target(const http::Request& req);

// Reads ?limit= with a default; INVALID_ARGUMENT when it is not a number.
Result<int> limit_param(const http::Request& req, int default_limit);

nlohmann::json model_json(const registry::ModelView& view);
nlohmann::json version_json(const registry::VersionView& view);

}  // namespace maas::api

// In a handler coroutine: evaluates a Result-returning expression; on error, answers with the error.
#define API_ASSIGN_OR_RESPOND(lhs, expr)                                   \
  auto MAAS_CONCAT_(api_result_, __LINE__) = (expr);                       \
  if (!MAAS_CONCAT_(api_result_, __LINE__).ok())                           \
    co_return ::maas::http::Response::error(MAAS_CONCAT_(api_result_, __LINE__).status()); \
  lhs = std::move(MAAS_CONCAT_(api_result_, __LINE__)).value()

#define API_RESPOND_IF_ERROR(expr)                      \
  do {                                                  \
    ::maas::Status api_status_ = (expr);                \
    if (!api_status_.ok()) co_return ::maas::http::Response::error(api_status_); \
  } while (0)
