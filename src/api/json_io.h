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

// The body as a JSON object: 415 for a non-JSON Content-Type, 400 for an empty, malformed, non-object body or one
// nested deeper than kMaxJsonDepth (common/json_parse.h).
Result<nlohmann::json> parse_json_body(const http::Request& req);
// parse_json_body, and 400 naming the first field that is not in `allowed_fields`.
Result<nlohmann::json> parse_json_object(const http::Request& req, std::initializer_list<const char*> allowed_fields);

// The value of `field` in `object`, or nullptr when it is absent or null (or `object` is not an object). A pointer
// into `object`, never a copy.
const nlohmann::json* find_field(const nlohmann::json& object, const char* field);

// `value` when it is an integer that fits in int64_t; nullopt otherwise (a uint64 past INT64_MAX, which
// get<int64_t>() would wrap to a negative number).
std::optional<int64_t> int64_of(const nlohmann::json& value);

Result<std::optional<bool>> optional_bool(const nlohmann::json& body, const char* field);
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
