#include "gateway/service.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "common/json_fields.h"
#include "common/names.h"
#include "common/sha256.h"

namespace maas::gateway {
namespace {
using nlohmann::json;

Result<double> number(const json& object, const char* field, const std::string& where, double min, double max,
                      std::optional<double> fallback) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) {
    if (fallback) return *fallback;
    return invalid_argument("'" + where + field + "' is required");
  }
  if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < min || it->get<double>() > max) {
    return invalid_argument("'" + where + field + "' must be a number from " + json(min).dump() + " to " +
                            json(max).dump());
  }
  return it->get<double>();
}

Result<Target> parse_target(const json& j, const std::string& where, std::initializer_list<const char*> extra) {
  // resolved_version: what GET showed (a PATCH sends the spec back); the version is resolved again on write.
  std::vector<const char*> fields = {"model", "version", "config", "resolved_version"};
  fields.insert(fields.end(), extra.begin(), extra.end());
  if (!j.is_object()) return invalid_argument("'" + where + "' must be an object with 'model' and 'version'");
  MAAS_RETURN_IF_ERROR(check_known_fields(j, where, fields));
  Target t;
  auto model = j.find("model");
  if (model == j.end() || !model->is_string()) return invalid_argument("'" + where + ".model' is required");
  t.model = model->get<std::string>();
  MAAS_RETURN_IF_ERROR(validate_name(t.model, "model"));
  auto version = j.find("version");
  if (version == j.end() || version->is_null()) {
    t.ref = "latest";
  } else if (version->is_number_integer()) {
    t.ref = std::to_string(version->get<int64_t>());
  } else if (version->is_string() && !version->get<std::string>().empty() && version->get<std::string>().size() <= 64) {
    t.ref = version->get<std::string>();
  } else {
    return invalid_argument("'" + where + ".version' must be a version number or an alias");
  }
  t.config = j.value("config", json::object());
  if (!t.config.is_object()) return invalid_argument("'" + where + ".config' must be an object (a deployment config)");
  // The rest of the config is checked when the version loads; the replica count also scales a loaded one.
  if (auto n = t.config.find("instances"); n != t.config.end() &&
                                           (!n->is_number_integer() || n->get<int64_t>() < 1 || n->get<int64_t>() > 64)) {
    return invalid_argument("'" + where + ".config.instances' must be a whole number from 1 to 64");
  }
  return t;
}

json target_json(const Target& t) {
  json j = {{"model", t.model}, {"version", t.ref}};
  if (t.version > 0) j["resolved_version"] = t.version;
  if (!t.config.empty()) j["config"] = t.config;
  return j;
}

Result<int> whole(const json& object, const char* field, const std::string& where, int min, int max, int fallback) {
  MAAS_ASSIGN_OR_RETURN(double v, number(object, field, where, min, max, fallback));
  if (v != std::floor(v)) return invalid_argument("'" + where + field + "' must be a whole number");
  return static_cast<int>(v);
}

Result<AutoscalingSpec> parse_autoscaling(const json& j) {
  MAAS_RETURN_IF_ERROR(check_known_fields(j, "autoscaling", {"min_replicas", "max_replicas", "target",
                                                             "stable_window_s", "panic_window_s",
                                                             "panic_threshold_percent", "scale_to_zero_grace_s",
                                                             "max_scale_up_rate", "max_scale_down_rate"}));
  AutoscalingSpec a;
  const std::string where = "autoscaling.";
  MAAS_ASSIGN_OR_RETURN(a.min_replicas, whole(j, "min_replicas", where, 0, 64, a.min_replicas));
  MAAS_ASSIGN_OR_RETURN(a.max_replicas, whole(j, "max_replicas", where, 1, 64, std::max(a.max_replicas, a.min_replicas)));
  if (a.max_replicas < a.min_replicas) {
    return invalid_argument("'autoscaling.max_replicas' (" + std::to_string(a.max_replicas) +
                            ") must be at least min_replicas (" + std::to_string(a.min_replicas) + ")");
  }
  if (auto t = j.find("target"); t != j.end() && !t->is_null()) {
    MAAS_RETURN_IF_ERROR(check_known_fields(*t, "autoscaling.target", {"metric", "value"}));
    if (auto m = t->find("metric"); m != t->end() && !m->is_null()) {
      if (!m->is_string() || (*m != "concurrency" && *m != "queue_depth")) {
        return invalid_argument("'autoscaling.target.metric' must be \"concurrency\" or \"queue_depth\"");
      }
      a.metric = m->get<std::string>();
    }
    MAAS_ASSIGN_OR_RETURN(a.target, number(*t, "value", "autoscaling.target.", 0.01, 1e6, a.target));
  }
  MAAS_ASSIGN_OR_RETURN(a.stable_window_s, number(j, "stable_window_s", where, 1, 3600, a.stable_window_s));
  MAAS_ASSIGN_OR_RETURN(a.panic_window_s,
                        number(j, "panic_window_s", where, 0.1, a.stable_window_s, std::max(0.1, a.stable_window_s / 10)));
  MAAS_ASSIGN_OR_RETURN(a.panic_threshold_percent,
                        number(j, "panic_threshold_percent", where, 110, 1000, a.panic_threshold_percent));
  MAAS_ASSIGN_OR_RETURN(a.scale_to_zero_grace_s, number(j, "scale_to_zero_grace_s", where, 0, 3600, a.scale_to_zero_grace_s));
  MAAS_ASSIGN_OR_RETURN(a.max_scale_up_rate, number(j, "max_scale_up_rate", where, 1.01, 1e6, a.max_scale_up_rate));
  MAAS_ASSIGN_OR_RETURN(a.max_scale_down_rate, number(j, "max_scale_down_rate", where, 1.01, 1e6, a.max_scale_down_rate));
  return a;
}

json autoscaling_json(const AutoscalingSpec& a) {
  return {{"min_replicas", a.min_replicas},
          {"max_replicas", a.max_replicas},
          {"target", {{"metric", a.metric}, {"value", a.target}}},
          {"stable_window_s", a.stable_window_s},
          {"panic_window_s", a.panic_window_s},
          {"panic_threshold_percent", a.panic_threshold_percent},
          {"scale_to_zero_grace_s", a.scale_to_zero_grace_s},
          {"max_scale_up_rate", a.max_scale_up_rate},
          {"max_scale_down_rate", a.max_scale_down_rate}};
}

}  // namespace

Result<ServiceSpec> parse_service_spec(const json& body) {
  MAAS_RETURN_IF_ERROR(check_known_fields(body, "", {"name", "description", "routes", "sticky_header", "shadow", "fallback",
                                               "canary", "rate_limit", "key_rate_limit", "max_concurrency",
                                               "max_body_bytes", "autoscaling"}));
  ServiceSpec spec;
  auto name = body.find("name");
  if (name == body.end() || !name->is_string()) return invalid_argument("'name' is required");
  spec.name = name->get<std::string>();
  MAAS_RETURN_IF_ERROR(validate_name(spec.name, "service"));
  if (auto d = body.find("description"); d != body.end() && !d->is_null()) {
    if (!d->is_string() || d->get<std::string>().size() > 4096) return invalid_argument("'description' must be text");
    spec.description = d->get<std::string>();
  }
  auto routes = body.find("routes");
  if (routes == body.end() || !routes->is_array() || routes->empty() || routes->size() > 16) {
    return invalid_argument("'routes' is required: 1 to 16 of {\"model\", \"version\", \"weight\"}");
  }
  double total = 0;
  for (size_t i = 0; i < routes->size(); ++i) {
    std::string where = "routes[" + std::to_string(i) + "]";
    MAAS_ASSIGN_OR_RETURN(Target t, parse_target((*routes)[i], where, {"weight"}));
    MAAS_ASSIGN_OR_RETURN(double w, number((*routes)[i], "weight", where + ".", 0, 100, routes->size() == 1
                                                                                        ? std::optional<double>(100)
                                                                                        : std::nullopt));
    for (const auto& r : spec.routes) {
      if (r.target.model == t.model && r.target.ref == t.ref) {
        return invalid_argument("'" + where + "' repeats " + t.model + " version " + t.ref);
      }
    }
    spec.routes.push_back({t, w});
    total += w;
  }
  if (total <= 0) return invalid_argument("the route weights add up to 0; give at least one route a weight");
  if (auto s = body.find("sticky_header"); s != body.end() && !s->is_null()) {
    if (!s->is_string() || s->get<std::string>().empty() || s->get<std::string>().size() > 64) {
      return invalid_argument("'sticky_header' must be a header name such as x-user-id");
    }
    spec.sticky_header = s->get<std::string>();
    for (auto& c : spec.sticky_header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (auto s = body.find("shadow"); s != body.end() && !s->is_null()) {
    MAAS_ASSIGN_OR_RETURN(Target t, parse_target(*s, "shadow", {"percent"}));
    MAAS_ASSIGN_OR_RETURN(spec.shadow_percent, number(*s, "percent", "shadow.", 0, 100, 100.0));
    spec.shadow = t;
  }
  if (auto f = body.find("fallback"); f != body.end() && !f->is_null()) {
    MAAS_ASSIGN_OR_RETURN(Target t, parse_target(*f, "fallback", {}));
    spec.fallback = t;
  }
  if (auto c = body.find("canary"); c != body.end() && !c->is_null()) {
    if (spec.routes.size() != 1) {
      return invalid_argument("a canary rolls out against one stable route; 'routes' has " +
                              std::to_string(spec.routes.size()));
    }
    CanarySpec canary;
    MAAS_ASSIGN_OR_RETURN(canary.target, parse_target(*c, "canary", {"steps", "interval_seconds", "max_error_rate",
                                                                     "max_p99_ms", "min_requests"}));
    auto steps = c->find("steps");
    if (steps == c->end() || steps->is_null()) {
      canary.steps = {5, 25, 50, 100};
    } else {
      if (!steps->is_array() || steps->empty() || steps->size() > 20) {
        return invalid_argument("'canary.steps' must be a list of percentages ending at 100, such as [5, 25, 100]");
      }
      double last = 0;
      for (const auto& s : *steps) {
        if (!s.is_number() || s.get<double>() <= last || s.get<double>() > 100) {
          return invalid_argument("'canary.steps' must rise strictly, each above 0 and at most 100");
        }
        last = s.get<double>();
        canary.steps.push_back(last);
      }
      if (last != 100) return invalid_argument("'canary.steps' must end at 100");
    }
    MAAS_ASSIGN_OR_RETURN(canary.interval_seconds, number(*c, "interval_seconds", "canary.", 0.1, 86400, 30.0));
    MAAS_ASSIGN_OR_RETURN(canary.max_error_rate, number(*c, "max_error_rate", "canary.", 0, 1, 0.05));
    MAAS_ASSIGN_OR_RETURN(canary.max_p99_ms, number(*c, "max_p99_ms", "canary.", 0, 3.6e6, 0.0));
    MAAS_ASSIGN_OR_RETURN(double min_requests, number(*c, "min_requests", "canary.", 1, 1e9, 20.0));
    canary.min_requests = static_cast<int64_t>(min_requests);
    spec.canary = canary;
  }
  for (const char* field : {"rate_limit", "key_rate_limit"}) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) continue;
    MAAS_RETURN_IF_ERROR(check_known_fields(*it, field, {"rps", "burst", "tpm"}));
    std::string where = std::string(field) + ".";
    bool service_wide = std::string(field) == "rate_limit";
    if (!it->contains("rps") && !it->contains("tpm")) {
      return invalid_argument("'" + std::string(field) + "' needs 'rps' (requests a second) or 'tpm' (LLM tokens a "
                              "minute), or both");
    }
    if (it->contains("burst") && !it->contains("rps")) return invalid_argument("'" + where + "burst' needs '" + where + "rps'");
    MAAS_ASSIGN_OR_RETURN(double rps, number(*it, "rps", where, 0.001, 1e7, 0.0));
    MAAS_ASSIGN_OR_RETURN(double burst, number(*it, "burst", where, 1, 1e7, rps > 0 ? std::max(1.0, rps) : 0.0));
    MAAS_ASSIGN_OR_RETURN(double tpm, number(*it, "tpm", where, 1, 1e12, 0.0));
    (service_wide ? spec.rps : spec.key_rps) = rps;
    (service_wide ? spec.burst : spec.key_burst) = burst;
    (service_wide ? spec.tpm : spec.key_tpm) = tpm;
  }
  MAAS_ASSIGN_OR_RETURN(double concurrency, number(body, "max_concurrency", "", 0, 1e6, 0.0));
  spec.max_concurrency = static_cast<int>(concurrency);
  MAAS_ASSIGN_OR_RETURN(double body_bytes, number(body, "max_body_bytes", "", 0, 1e12, 0.0));
  spec.max_body_bytes = static_cast<uint64_t>(body_bytes);
  if (auto a = body.find("autoscaling"); a != body.end() && !a->is_null()) {
    MAAS_ASSIGN_OR_RETURN(spec.autoscaling, parse_autoscaling(*a));
  }
  return spec;
}

json spec_json(const ServiceSpec& spec) {
  json routes = json::array();
  for (const auto& r : spec.routes) {
    json j = target_json(r.target);
    j["weight"] = r.weight;
    routes.push_back(j);
  }
  json j = {{"name", spec.name}, {"description", spec.description}, {"routes", routes}};
  if (!spec.sticky_header.empty()) j["sticky_header"] = spec.sticky_header;
  if (spec.shadow) {
    j["shadow"] = target_json(*spec.shadow);
    j["shadow"]["percent"] = spec.shadow_percent;
  }
  if (spec.fallback) j["fallback"] = target_json(*spec.fallback);
  if (spec.canary) {
    json c = target_json(spec.canary->target);
    c["steps"] = spec.canary->steps;
    c["interval_seconds"] = spec.canary->interval_seconds;
    c["max_error_rate"] = spec.canary->max_error_rate;
    c["max_p99_ms"] = spec.canary->max_p99_ms;
    c["min_requests"] = spec.canary->min_requests;
    j["canary"] = c;
  }
  if (spec.rps > 0) j["rate_limit"] = {{"rps", spec.rps}, {"burst", spec.burst}};
  if (spec.tpm > 0) j["rate_limit"]["tpm"] = spec.tpm;
  if (spec.key_rps > 0) j["key_rate_limit"] = {{"rps", spec.key_rps}, {"burst", spec.key_burst}};
  if (spec.key_tpm > 0) j["key_rate_limit"]["tpm"] = spec.key_tpm;
  if (spec.max_concurrency > 0) j["max_concurrency"] = spec.max_concurrency;
  if (spec.max_body_bytes > 0) j["max_body_bytes"] = spec.max_body_bytes;
  if (spec.autoscaling) j["autoscaling"] = autoscaling_json(*spec.autoscaling);
  return j;
}

void RouteStats::record(bool ok, double seconds) {
  (ok ? ok_ : errors_).fetch_add(1, std::memory_order_relaxed);
  size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
}

double RouteStats::error_rate() const {
  int64_t n = requests();
  return n == 0 ? 0 : static_cast<double>(errors()) / static_cast<double>(n);
}

double RouteStats::p99_seconds() const {
  int64_t total = 0;
  for (const auto& b : buckets_) total += b.load();
  if (total == 0) return 0;
  int64_t needed = total - total / 100;  // the count at or below the 99th percentile
  int64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i].load();
    if (seen >= needed) return i < kBounds.size() ? kBounds[i] : kBounds.back() * 2;
  }
  return kBounds.back() * 2;
}

Status ServiceSnapshot::check_body(size_t body_bytes) const {
  if (spec.max_body_bytes > 0 && body_bytes > spec.max_body_bytes) {
    return payload_too_large("the request body is " + std::to_string(body_bytes) + " bytes; service '" + spec.name +
                             "' accepts at most " + std::to_string(spec.max_body_bytes) + " (max_body_bytes)");
  }
  return {};
}

namespace {

// A uniform draw in [0, 1) from this thread's generator (no lock on the request path).
double unit_draw() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0, 1)(rng);
}

}  // namespace

bool ServiceSnapshot::shadow_this() const { return spec.shadow && unit_draw() * 100 < spec.shadow_percent; }

Result<const LiveRoute*> ServiceSnapshot::route_for(const http::Request& req) const {
  std::optional<int64_t> override_version;
  std::optional<std::string> override_text = req.header("x-maas-version");
  if (auto it = req.path_params.find("version"); it != req.path_params.end()) override_text = it->second;
  if (override_text) {
    long long v = 0;
    if (!parse_version_number(*override_text, &v)) {
      return invalid_argument("the version override must be a version number, not '" + *override_text + "'");
    }
    override_version = v;
  }
  std::optional<std::string> sticky;
  if (!spec.sticky_header.empty()) {
    sticky = req.header(spec.sticky_header);
    if (!sticky && req.principal) sticky = "key:" + req.principal->key_id;  // no header: the key is the user
  }
  const LiveRoute* route = pick(override_version, sticky, unit_draw());
  if (route) return route;
  if (override_version) {
    return not_found("service '" + spec.name + "' has no route to version " + std::to_string(*override_version));
  }
  return unavailable("service '" + spec.name + "' has no route with weight");
}

const LiveRoute* ServiceSnapshot::pick(std::optional<int64_t> override_version,
                                       const std::optional<std::string>& sticky_value, double random_unit) const {
  if (override_version) {
    for (const auto& r : routes) {
      if (r.target.version == *override_version) return &r;
    }
    return nullptr;
  }
  double total = 0;
  for (const auto& r : routes) total += r.weight;
  if (total <= 0) return nullptr;
  double u = random_unit;
  if (sticky_value && !spec.sticky_header.empty()) {
    // The same value always maps to the same point; weights then decide the route, so a user moves only
    // when the weights move past their point.
    Sha256 h;
    h.update(spec.name);
    h.update(*sticky_value);
    u = static_cast<double>(std::stoull(h.hex_digest().substr(0, 13), nullptr, 16)) / static_cast<double>(1ull << 52);
  }
  double point = u * total, acc = 0;
  for (const auto& r : routes) {
    acc += r.weight;
    if (point < acc && r.weight > 0) return &r;
  }
  for (auto it = routes.rbegin(); it != routes.rend(); ++it) {
    if (it->weight > 0) return &*it;
  }
  return nullptr;
}

}  // namespace maas::gateway
