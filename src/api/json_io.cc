#include "api/json_io.h"

#include <charconv>

#include "common/clock.h"
#include "common/json_fields.h"
#include "common/json_parse.h"
#include "common/names.h"

namespace maas::api {
using nlohmann::json;

Result<json> parse_json_body(const http::Request& req) {
  auto content_type = req.header("content-type");
  if (content_type && content_type->find("json") == std::string::npos) {
    return Status(StatusCode::kUnsupportedMediaType,
                  "this endpoint takes application/json, not " + *content_type);
  }
  if (req.body.empty()) return invalid_argument("the request body is empty; send a JSON object");
  MAAS_ASSIGN_OR_RETURN(json body, parse_json(req.body, "the request body"));
  if (!body.is_object()) return invalid_argument("the request body must be a JSON object");
  return body;
}

Result<json> parse_json_object(const http::Request& req, std::initializer_list<const char*> allowed_fields) {
  MAAS_ASSIGN_OR_RETURN(json body, parse_json_body(req));
  MAAS_RETURN_IF_ERROR(check_known_fields(body, "", allowed_fields));
  return body;
}

const json* find_field(const json& object, const char* field) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(field);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::optional<int64_t> int64_of(const json& value) {
  if (value.is_number_unsigned()) {
    auto v = value.get<uint64_t>();
    return v <= static_cast<uint64_t>(INT64_MAX) ? std::optional<int64_t>(static_cast<int64_t>(v)) : std::nullopt;
  }
  return value.is_number_integer() ? std::optional<int64_t>(value.get<int64_t>()) : std::nullopt;
}

Result<std::optional<bool>> optional_bool(const json& body, const char* field) {
  const json* value = find_field(body, field);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_boolean()) return invalid_argument(std::string("field '") + field + "' must be true or false");
  return std::optional<bool>(value->get<bool>());
}

Result<std::optional<std::string>> optional_string(const json& body, const char* field, size_t max_len) {
  const json* it = find_field(body, field);
  if (it == nullptr) return std::optional<std::string>();
  if (!it->is_string()) return invalid_argument(std::string("field '") + field + "' must be a string");
  auto value = it->get<std::string>();
  if (value.size() > max_len) {
    return invalid_argument(std::string("field '") + field + "' is over " + std::to_string(max_len) + " characters");
  }
  return std::optional<std::string>(std::move(value));
}

Result<std::optional<store::StringMap>> optional_string_map(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<store::StringMap>();
  if (!it->is_object()) return invalid_argument(std::string("field '") + field + "' must be an object of strings");
  store::StringMap out;
  for (const auto& [k, v] : it->items()) {
    if (!v.is_string()) return invalid_argument(std::string("field '") + field + "." + k + "' must be a string");
    out[k] = v.get<std::string>();
  }
  return std::optional<store::StringMap>(std::move(out));
}

Result<std::optional<json>> optional_number_map(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<json>();
  if (!it->is_object()) return invalid_argument(std::string("field '") + field + "' must be an object of numbers");
  if (it->size() > 256) return invalid_argument(std::string("field '") + field + "' has more than 256 entries");
  for (const auto& [k, v] : it->items()) {
    if (!v.is_number()) return invalid_argument(std::string("field '") + field + "." + k + "' must be a number");
  }
  return std::optional<json>(*it);
}

Result<std::optional<json>> optional_lineage(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<json>();
  if (!it->is_object()) return invalid_argument(std::string("field '") + field + "' must be an object");
  for (const auto& [k, v] : it->items()) {
    if (k == "source" || k == "run_id" || k == "dataset") {
      if (!v.is_string()) return invalid_argument("field 'lineage." + k + "' must be a string");
    } else if (k == "parameters") {
      MAAS_RETURN_IF_ERROR(optional_string_map(*it, "parameters").status());
    } else {
      return invalid_argument("unknown field 'lineage." + k + "'; lineage accepts source, run_id, dataset, parameters");
    }
  }
  return std::optional<json>(*it);
}

Result<int64_t> alias_target(const http::Request& req) {
  MAAS_ASSIGN_OR_RETURN(json body, parse_json_object(req, {"version"}));
  auto it = body.find("version");
  if (it == body.end()) return invalid_argument("field 'version' is required");
  long long v = 0;
  if (it->is_number_integer() && it->get<long long>() > 0) return static_cast<int64_t>(it->get<long long>());
  if (it->is_string() && parse_version_number(it->get<std::string>(), &v)) return static_cast<int64_t>(v);
  return invalid_argument("field 'version' must be a positive version number");
}

Result<int> limit_param(const http::Request& req, int default_limit) {
  auto text = req.query_param("limit");
  if (!text) return default_limit;
  int value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size()) {
    return invalid_argument("limit must be a whole number, got '" + *text + "'");
  }
  return value;
}

json model_json(const registry::ModelView& view) {
  const auto& m = view.model;
  return {{"name", m.name},
          {"description", m.description},
          {"tags", m.tags},
          {"created_at", format_rfc3339_ms(m.created_at_ms)},
          {"updated_at", format_rfc3339_ms(m.updated_at_ms)},
          {"latest_version", m.latest_version == 0 ? json(nullptr) : json(m.latest_version)},
          {"version_count", m.version_count},
          {"aliases", view.aliases}};
}

json version_json(const registry::VersionView& view) {
  const auto& v = view.version;
  json history = json::array();
  for (const auto& t : view.history) {
    history.push_back({{"from", t.from ? json(*t.from) : json(nullptr)},
                       {"to", t.to},
                       {"by", t.by},
                       {"at", format_rfc3339_ms(t.at_ms)},
                       {"reason", t.reason}});
  }
  return {{"model", v.model},
          {"version", v.version},
          {"framework", v.framework},
          {"format", v.format},
          {"digest", "sha256:" + v.digest},
          {"size_bytes", v.size_bytes},
          {"state", v.state},
          {"signature", v.signature},
          {"description", v.description},
          {"tags", v.tags},
          {"metrics", v.metrics},
          {"lineage", v.lineage},
          {"aliases", view.aliases},
          {"created_at", format_rfc3339_ms(v.created_at_ms)},
          {"created_by", v.created_by},
          {"updated_at", format_rfc3339_ms(v.updated_at_ms)},
          {"state_history", history}};
}

}  // namespace maas::api
