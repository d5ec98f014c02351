#include "training/validation/policy.h"

#include <set>

#include "training/compare/paired_bootstrap.h"

namespace maas::training::validation {
namespace {

using nlohmann::json;

Status check_metric(const json& name, const std::string& field) {
  if (name.is_string() && metric_names().contains(name.get<std::string>())) return {};
  std::string names;
  for (const std::string& m : metric_names()) names += (names.empty() ? "" : ", ") + m;
  return invalid_argument(field + " must name a metric train.evaluate reports (" + names + ")");
}

Status only_keys(const json& object, const std::set<std::string>& keys, const std::string& field) {
  if (!object.is_object()) return invalid_argument(field + " must be a JSON object");
  for (const auto& [key, value] : object.items()) {
    if (keys.contains(key)) continue;
    std::string names;
    for (const std::string& k : keys) names += (names.empty() ? "" : ", ") + k;
    return invalid_argument(field + "." + key + " is not a field of " + field + " (" + names + ")");
  }
  return {};
}

Result<std::string> text(const json& object, const char* key, const std::string& field, const char* fallback) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (fallback) return std::string(fallback);
    return invalid_argument(field + "." + key + " is required");
  }
  if (it->is_number_integer() && it->get<int64_t>() > 0) return std::to_string(it->get<int64_t>());
  if (!it->is_string() || it->get<std::string>().empty() || it->get<std::string>().size() > 256) {
    return invalid_argument(field + "." + key + " must be a non-empty string (at most 256 characters)");
  }
  return it->get<std::string>();
}

Result<json> holdout(const json& body) {
  auto it = body.find("holdout");
  if (it == body.end())
    return invalid_argument("holdout is required: {dataset, version?, split_column?, split_value?}");
  MAAS_RETURN_IF_ERROR(only_keys(*it, {"dataset", "version", "split_column", "split_value"}, "holdout"));
  json out = json::object();
  MAAS_ASSIGN_OR_RETURN(out["dataset"], text(*it, "dataset", "holdout", nullptr));
  MAAS_ASSIGN_OR_RETURN(out["version"], text(*it, "version", "holdout", "latest"));
  if (it->contains("split_column")) {
    MAAS_ASSIGN_OR_RETURN(out["split_column"], text(*it, "split_column", "holdout", nullptr));
    MAAS_ASSIGN_OR_RETURN(out["split_value"], text(*it, "split_value", "holdout", "test"));
  } else if (it->contains("split_value")) {
    return invalid_argument("holdout.split_value goes with holdout.split_column");
  }
  return out;
}

Result<json> thresholds(const json& body) {
  json out = json::object();
  auto it = body.find("thresholds");
  if (it == body.end()) return out;
  if (!it->is_object()) return invalid_argument("thresholds must be {metric: {min?, max?}}");
  for (const auto& [metric, bounds] : it->items()) {
    const std::string field = "thresholds." + metric;
    MAAS_RETURN_IF_ERROR(check_metric(metric, "the key " + field));
    MAAS_RETURN_IF_ERROR(only_keys(bounds, {"min", "max"}, field));
    if (bounds.empty()) return invalid_argument(field + " needs min or max");
    for (const auto& [bound, value] : bounds.items()) {
      if (!value.is_number()) return invalid_argument(field + "." + bound + " must be a number");
    }
    if (bounds.contains("min") && bounds.contains("max") && bounds["min"].get<double>() > bounds["max"].get<double>()) {
      return invalid_argument(field + ".min is above its max");
    }
    out[metric] = bounds;
  }
  return out;
}

Result<json> significance(const json& champion) {
  auto it = champion.find("significance");
  if (it == champion.end() || it->is_null()) return json(nullptr);
  const std::string field = "not_worse_than.significance";
  MAAS_RETURN_IF_ERROR(only_keys(*it, {"confidence", "resamples", "seed"}, field));
  json out = {{"confidence", 0.95}, {"resamples", 1000}, {"seed", 0}};
  if (auto c = it->find("confidence"); c != it->end()) {
    if (!c->is_number() || !(c->get<double>() > 0 && c->get<double>() < 1)) {
      return invalid_argument(field + ".confidence must be a number between 0 and 1 (e.g. 0.95)");
    }
    out["confidence"] = *c;
  }
  if (auto r = it->find("resamples"); r != it->end()) {
    if (!r->is_number_integer() || r->get<int64_t>() < 10 || r->get<int64_t>() > 100000) {
      return invalid_argument(field + ".resamples must be an integer from 10 to 100000");
    }
    out["resamples"] = *r;
  }
  if (auto s = it->find("seed"); s != it->end()) {
    if (!s->is_number_integer() || s->get<int64_t>() < 0 || s->get<int64_t>() > 0xffffffffLL) {
      return invalid_argument(field + ".seed must be an integer from 0 to 4294967295");
    }
    out["seed"] = *s;
  }
  return out;
}

Result<json> not_worse_than(const json& body) {
  auto it = body.find("not_worse_than");
  if (it == body.end() || it->is_null()) return json(nullptr);
  if (it->is_string()) return not_worse_than(json{{"not_worse_than", {{"version", *it}}}});
  const std::string field = "not_worse_than";
  MAAS_RETURN_IF_ERROR(only_keys(*it, {"version", "metric", "margin", "significance"}, field));
  json out = json::object();
  MAAS_ASSIGN_OR_RETURN(out["version"], text(*it, "version", field, nullptr));
  if (auto m = it->find("metric"); m != it->end() && !m->is_null()) {
    MAAS_RETURN_IF_ERROR(check_metric(*m, field + ".metric"));
    if (m->get<std::string>().rfind("ndcg", 0) == 0) {
      return invalid_argument(field + ".metric cannot be a ranking metric (ranking models are not compared yet)");
    }
    out["metric"] = *m;
  }
  out["margin"] = 0.0;
  if (auto m = it->find("margin"); m != it->end()) {
    if (!m->is_number() || m->get<double>() < 0) return invalid_argument(field + ".margin must be a number >= 0");
    out["margin"] = *m;
  }
  MAAS_ASSIGN_OR_RETURN(json test, significance(*it));
  if (!test.is_null()) out["significance"] = test;
  return out;
}

}  // namespace

Result<json> parse_policy(const json& body) {
  MAAS_RETURN_IF_ERROR(only_keys(body, {"holdout", "label", "thresholds", "not_worse_than"}, "the policy"));
  json policy = json::object();
  MAAS_ASSIGN_OR_RETURN(policy["holdout"], holdout(body));
  if (body.contains("label")) {
    MAAS_ASSIGN_OR_RETURN(policy["label"], text(body, "label", "the policy", nullptr));
  }
  MAAS_ASSIGN_OR_RETURN(policy["thresholds"], thresholds(body));
  MAAS_ASSIGN_OR_RETURN(json champion, not_worse_than(body));
  if (!champion.is_null()) policy["not_worse_than"] = champion;
  if (policy["thresholds"].empty() && champion.is_null()) {
    return invalid_argument("a policy needs thresholds or not_worse_than (or both): it would pass every version");
  }
  return policy;
}

json evaluation_params(const json& policy, const std::string& model, int64_t version) {
  json params = {{"model", model}, {"model_version", version}};
  for (const auto& [key, value] : policy["holdout"].items()) params[key] = value;
  if (policy.contains("label")) params["label"] = policy["label"];
  return params;
}

}  // namespace maas::training::validation
