#include "training/retrain/policy.h"

#include <cmath>
#include <set>
#include <string>

#include "training/retrain/cron.h"

namespace maas::training::retrain {
namespace {

using nlohmann::json;

Status only(const json& object, const std::set<std::string>& allowed, const std::string& where) {
  for (const auto& [key, _] : object.items()) {
    if (!allowed.contains(key)) return invalid_argument(where + key + " is not a field of a retraining policy");
  }
  return {};
}

Result<std::string> text(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) return invalid_argument(where + key + " is required");
  const json& v = *it;
  if (!v.is_string() || v.get<std::string>().empty())
    return invalid_argument(where + key + " must be a non-empty string");
  return v.get<std::string>();
}

Result<double> number(const json& object, const char* key, double fallback, double min, double max,
                      const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < min || it->get<double>() > max) {
    return invalid_argument(where + key + " must be a number from " + json(min).dump() + " to " + json(max).dump());
  }
  return it->get<double>();
}

Result<json> parse_triggers(const json& body) {
  json out = json::object();
  auto it = body.find("triggers");
  if (it == body.end() || it->is_null()) return out;
  const json& t = *it;
  if (!t.is_object()) return invalid_argument("triggers must be an object: {schedule?, alert?, dataset?}");
  MAAS_RETURN_IF_ERROR(only(t, {"schedule", "alert", "dataset"}, "triggers."));
  if (t.contains("schedule") && !t["schedule"].is_null()) {
    MAAS_ASSIGN_OR_RETURN(std::string cron, text(t, "schedule", "triggers."));
    auto parsed = parse_cron(cron);
    if (!parsed.ok()) return invalid_argument("triggers.schedule: " + parsed.status().message());
    out["schedule"] = cron;
  }
  if (t.contains("alert") && !t["alert"].is_null()) {
    MAAS_ASSIGN_OR_RETURN(out["alert"], text(t, "alert", "triggers."));
  }
  if (t.contains("dataset") && !t["dataset"].is_null()) {
    if (!t["dataset"].is_boolean()) return invalid_argument("triggers.dataset must be true or false");
    if (t["dataset"].get<bool>()) out["dataset"] = true;
  }
  return out;
}

Result<json> parse_canary(const json& c) {
  if (!c.is_object()) return invalid_argument("canary must be an object: {service, weight?, interval_seconds?, ...}");
  MAAS_RETURN_IF_ERROR(
      only(c, {"service", "weight", "interval_seconds", "max_error_rate", "max_p99_ms", "min_requests"}, "canary."));
  json out;
  MAAS_ASSIGN_OR_RETURN(out["service"], text(c, "service", "canary."));
  MAAS_ASSIGN_OR_RETURN(out["weight"], number(c, "weight", 10, 0.01, 99.99, "canary."));
  MAAS_ASSIGN_OR_RETURN(out["interval_seconds"], number(c, "interval_seconds", 30, 0, 86400, "canary."));
  MAAS_ASSIGN_OR_RETURN(out["max_error_rate"], number(c, "max_error_rate", 0.05, 0, 1, "canary."));
  MAAS_ASSIGN_OR_RETURN(out["max_p99_ms"], number(c, "max_p99_ms", 0, 0, 3.6e6, "canary."));
  MAAS_ASSIGN_OR_RETURN(double requests, number(c, "min_requests", 20, 1, 1e9, "canary."));
  if (requests != std::floor(requests)) return invalid_argument("canary.min_requests must be a whole number");
  out["min_requests"] = static_cast<int64_t>(requests);
  return out;
}

}  // namespace

Result<json> parse_retrain_policy(const json& body, int64_t floor_seconds) {
  if (!body.is_object()) return invalid_argument("the body must be a retraining policy (a JSON object)");
  MAAS_RETURN_IF_ERROR(
      only(body, {"from_version", "recipe", "dataset", "triggers", "canary", "min_interval_seconds"}, ""));
  json out = json::object();
  out["from_version"] = "latest";
  if (auto it = body.find("from_version"); it != body.end() && !it->is_null()) {
    if (it->is_number_integer() && it->get<int64_t>() >= 1) {
      out["from_version"] = std::to_string(it->get<int64_t>());
    } else if (it->is_string() && !it->get<std::string>().empty()) {
      out["from_version"] = *it;
    } else {
      return invalid_argument("from_version must be a version number, an alias or 'latest'");
    }
  }
  if (auto it = body.find("recipe"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) return invalid_argument("recipe must be {kind, params}: a training job's kind and params");
    MAAS_RETURN_IF_ERROR(only(*it, {"kind", "params"}, "recipe."));
    json recipe;
    MAAS_ASSIGN_OR_RETURN(recipe["kind"], text(*it, "kind", "recipe."));
    if (!it->contains("params") || !(*it)["params"].is_object()) {
      return invalid_argument("recipe.params must be the training job's params (an object)");
    }
    recipe["params"] = (*it)["params"];
    out["recipe"] = recipe;
  }
  if (auto it = body.find("dataset"); it != body.end() && !it->is_null()) {
    MAAS_ASSIGN_OR_RETURN(out["dataset"], text(body, "dataset", ""));
  }
  MAAS_ASSIGN_OR_RETURN(out["triggers"], parse_triggers(body));
  if (auto it = body.find("canary"); it != body.end() && !it->is_null()) {
    MAAS_ASSIGN_OR_RETURN(out["canary"], parse_canary(*it));
  }
  MAAS_ASSIGN_OR_RETURN(double interval, number(body, "min_interval_seconds", 3600, 0, 366.0 * 86400, ""));
  if (interval != std::floor(interval)) return invalid_argument("min_interval_seconds must be a whole number");
  if (interval < static_cast<double>(floor_seconds)) {
    return invalid_argument("min_interval_seconds must be at least " + std::to_string(floor_seconds) +
                            " (the server's retraining.min_interval_floor_ms)");
  }
  out["min_interval_seconds"] = static_cast<int64_t>(interval);
  return out;
}

json canary_block(const json& plan, const std::string& model, int64_t version) {
  return {{"model", model},
          {"version", std::to_string(version)},
          {"steps", json::array({plan["weight"], 100})},
          {"interval_seconds", plan["interval_seconds"]},
          {"max_error_rate", plan["max_error_rate"]},
          {"max_p99_ms", plan["max_p99_ms"]},
          {"min_requests", plan["min_requests"]}};
}

}  // namespace maas::training::retrain
