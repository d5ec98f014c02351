#include "gateway/gateway.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "common/clock.h"

namespace maas::gateway {
namespace asio = boost::asio;
using nlohmann::json;

namespace {

// The canary's phase and stage, kept in the service's stored state.
struct CanaryState {
  std::string phase;  // progressing | promoted | rolled_back
  size_t step = 0;
  int64_t step_started_ms = 0;
};

CanaryState canary_state(const json& state) {
  CanaryState c;
  if (auto it = state.find("canary"); it != state.end() && it->is_object()) {
    c.phase = it->value("phase", "");
    c.step = it->value("step", size_t{0});
    c.step_started_ms = it->value("step_started_ms", int64_t{0});
  }
  return c;
}

json canary_state_json(const CanaryState& c, const CanarySpec& spec) {
  return {{"phase", c.phase},
          {"step", c.step},
          {"weight", c.phase == "progressing" ? spec.steps[std::min(c.step, spec.steps.size() - 1)] : 0.0},
          {"step_started_ms", c.step_started_ms}};
}

std::string percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", v * 100);
  return buf;
}

}  // namespace

Gateway::Gateway(store::GatewayStore& store, GatewayHooks hooks, metrics::Registry& metrics, asio::io_context& io)
    : store_(store),
      hooks_(std::move(hooks)),
      io_(io),
      quotas_(store),
      rejections_(metrics.counter("maas_gateway_rejections_total",
                                  "Requests the gateway refused, by service and reason", {"service", "reason"})),
      requests_(metrics.counter("maas_gateway_requests_total", "Requests answered through services, by key and HTTP code",
                                {"service", "key", "code"})),
      shadows_(metrics.counter("maas_gateway_shadow_requests_total",
                               "Shadow copies by service and outcome (match, mismatch, error)", {"service", "outcome"})),
      transitions_(metrics.counter("maas_gateway_canary_transitions_total",
                                   "Canary rollout transitions by service and kind", {"service", "kind"})),
      weights_(metrics.gauge("maas_gateway_route_weight", "Traffic weight in force per service route (percent)",
                             {"service", "model", "version"})),
      desired_replicas_(metrics.gauge("maas_service_desired_replicas",
                                      "Replicas the autoscaler wants for an autoscaled service version",
                                      {"service", "model", "version"})),
      ready_replicas_(metrics.gauge("maas_service_ready_replicas",
                                    "Replicas serving an autoscaled service version (warmed up)",
                                    {"service", "model", "version"})),
      panic_(metrics.gauge("maas_service_autoscaler_panic",
                           "1 while the autoscaler of a service version is in panic mode, else 0",
                           {"service", "model", "version"})),
      scale_decisions_(metrics.counter("maas_service_scale_decisions_total",
                                       "Autoscaling decisions by service and kind (scaled_up, scaled_down, "
                                       "scaled_to_zero, cold_start)",
                                       {"service", "kind"})) {}

void Gateway::count_rejection(const std::string& service, const std::string& reason) {
  rejections_.with({service, reason}).inc();
}

void Gateway::count_request(const std::string& service, const std::string& key_id, int code) {
  requests_.with({service, key_id, std::to_string(code)}).inc();
}

void Gateway::count_shadow(const std::string& service, const std::string& outcome) {
  shadows_.with({service, outcome}).inc();
}

void Gateway::event(const std::string& service, const std::string& kind, const std::string& message, json detail) {
  store::ServiceEvent e{0, service, now_unix_ms(), kind, message, std::move(detail)};
  if (auto s = store_.append_service_event(e); !s.ok()) {
    spdlog::error("cannot record the {} event of service {}: {}", kind, service, s.message());
  }
  spdlog::info("service {}: {}: {}", service, kind, message);
}

std::shared_ptr<ServiceSnapshot> Gateway::build(const ServiceSpec& spec, const json& state, int64_t revision) const {
  auto s = std::make_shared<ServiceSnapshot>();
  s->spec = spec;
  s->state = state;
  s->revision = revision;
  auto canary = canary_state(state);
  if (spec.canary && canary.phase == "progressing") {
    double w = spec.canary->steps[std::min(canary.step, spec.canary->steps.size() - 1)];
    s->routes.push_back(LiveRoute{spec.routes[0].target, 100 - w, false});
    s->routes.push_back(LiveRoute{spec.canary->target, w, true});
  } else {
    for (const auto& r : spec.routes) s->routes.push_back(LiveRoute{r.target, r.weight, false});
  }
  return s;
}

void Gateway::install(std::shared_ptr<ServiceSnapshot> snapshot) {
  double total = 0;
  for (const auto& r : snapshot->routes) total += r.weight;
  for (const auto& r : snapshot->routes) {
    weights_.with({snapshot->spec.name, r.target.model, std::to_string(r.target.version)})
        .set(total > 0 ? 100 * r.weight / total : 0);
  }
  std::lock_guard lock(mu_);
  auto& slot = services_[snapshot->spec.name];
  if (slot) {
    // Zero the weights of routes that left (so a dashboard does not show a stale split).
    for (const auto& old : slot->routes) {
      bool kept = false;
      for (const auto& r : snapshot->routes) kept = kept || (r.target.model == old.target.model && r.target.version == old.target.version);
      if (!kept) weights_.with({snapshot->spec.name, old.target.model, std::to_string(old.target.version)}).set(0);
    }
    // In-flight requests keep counting against the same concurrency limit.
    snapshot->in_flight = slot->in_flight;
  }
  slot = std::move(snapshot);
}

std::shared_ptr<const ServiceSnapshot> Gateway::find(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = services_.find(name);
  return it == services_.end() ? nullptr : it->second;
}

Status Gateway::resolve_all(ServiceSpec& spec) const {
  auto resolve = [this](Target& t) -> Status {
    auto v = hooks_.resolve(t.model, t.ref);
    if (!v.ok()) return v.status();
    t.version = *v;
    return {};
  };
  for (auto& r : spec.routes) MAAS_RETURN_IF_ERROR(resolve(r.target));
  if (spec.shadow) MAAS_RETURN_IF_ERROR(resolve(*spec.shadow));
  if (spec.fallback) MAAS_RETURN_IF_ERROR(resolve(*spec.fallback));
  if (spec.canary) {
    MAAS_RETURN_IF_ERROR(resolve(spec.canary->target));
    if (spec.canary->target.model == spec.routes[0].target.model &&
        spec.canary->target.version == spec.routes[0].target.version) {
      return invalid_argument("the canary is the version the service already serves");
    }
  }
  return {};
}

asio::awaitable<Status> Gateway::deploy_all(const ServiceSpec& spec) {
  std::vector<Target> targets;
  for (const auto& r : spec.routes) targets.push_back(r.target);
  if (spec.shadow) targets.push_back(*spec.shadow);
  if (spec.fallback) targets.push_back(*spec.fallback);
  if (spec.canary) targets.push_back(spec.canary->target);
  for (const auto& t : targets) {
    if (hooks_.is_loaded(t.model, t.version)) {
      // Loaded already: a changed replica count in the route's config scales it (an autoscaled service's
      // controller decides its replicas itself).
      auto instances = t.config.is_object() ? t.config.find("instances") : t.config.end();
      if (!spec.autoscaling && hooks_.scale && t.config.is_object() && instances != t.config.end() &&
          instances->is_number_integer()) {
        hooks_.scale(t, instances->get<int>());
      }
      continue;
    }
    Status s = co_await hooks_.deploy(t);
    if (!s.ok()) co_return s;
    std::lock_guard lock(mu_);
    owned_.emplace(t.model, t.version);
  }
  co_return Status{};
}

void Gateway::release_unreferenced() {
  std::vector<std::pair<std::string, int64_t>> released;
  {
    std::lock_guard lock(mu_);
    std::set<std::pair<std::string, int64_t>> used;
    for (const auto& [name, s] : services_) {
      for (const auto& r : s->spec.routes) used.emplace(r.target.model, r.target.version);
      if (s->spec.shadow) used.emplace(s->spec.shadow->model, s->spec.shadow->version);
      if (s->spec.fallback) used.emplace(s->spec.fallback->model, s->spec.fallback->version);
      if (s->spec.canary) used.emplace(s->spec.canary->target.model, s->spec.canary->target.version);
    }
    for (auto it = owned_.begin(); it != owned_.end();) {
      if (used.count(*it)) {
        ++it;
      } else {
        released.push_back(*it);
        it = owned_.erase(it);
      }
    }
  }
  if (!hooks_.undeploy) return;
  for (const auto& [model, version] : released) {
    if (Status s = hooks_.undeploy(model, version); s.ok()) {
      spdlog::info("model {} version {}: unloaded, no service uses it any more", model, version);
    } else if (s.code() != StatusCode::kNotFound) {
      spdlog::warn("model {} version {}: cannot unload it: {}", model, version, s.message());
    }
  }
}

json Gateway::view(const ServiceSnapshot& s) const {
  json j = spec_json(s.spec);
  j["revision"] = s.revision;
  json routes = json::array();
  bool ready = true;
  double total = 0;
  for (const auto& r : s.routes) total += r.weight;
  for (const auto& r : s.routes) {
    bool loaded = hooks_.is_loaded(r.target.model, r.target.version);
    ready = ready && (loaded || r.weight == 0);
    routes.push_back({{"model", r.target.model},
                      {"version", r.target.version},
                      {"weight", total > 0 ? 100 * r.weight / total : 0},
                      {"canary", r.canary},
                      {"loaded", loaded},
                      {"requests", r.stats->requests()},
                      {"errors", r.stats->errors()}});
  }
  j["status"] = {{"ready", ready}, {"routes", routes}, {"in_flight", s.in_flight->load()}};
  if (s.spec.autoscaling) {
    std::lock_guard lock(mu_);
    auto it = autoscaling_status_.find(s.spec.name);
    j["status"]["autoscaling"] = it == autoscaling_status_.end() ? json::array() : it->second;
  }
  if (s.spec.canary) {
    auto c = canary_state(s.state);
    j["status"]["canary"] = canary_state_json(c, *s.spec.canary);
  }
  return j;
}

Status Gateway::restore() {
  MAAS_ASSIGN_OR_RETURN(auto records, store_.list_services());
  for (const auto& r : records) {
    auto spec = parse_service_spec(r.spec);
    if (!spec.ok()) {
      spdlog::error("service {} has a stored spec this maasd cannot read: {}", r.name, spec.status().message());
      continue;
    }
    // Versions were resolved when the service was written; keep them (an alias may have moved since).
    if (auto routes = r.spec.find("routes"); routes != r.spec.end()) {
      for (size_t i = 0; i < spec->routes.size() && i < routes->size(); ++i) {
        spec->routes[i].target.version = (*routes)[i].value("resolved_version", int64_t{0});
      }
    }
    auto keep = [](Target& t, const json& j) { t.version = j.value("resolved_version", int64_t{0}); };
    if (spec->shadow) keep(*spec->shadow, r.spec.at("shadow"));
    if (spec->fallback) keep(*spec->fallback, r.spec.at("fallback"));
    if (spec->canary) keep(spec->canary->target, r.spec.at("canary"));
    install(build(*spec, r.state, r.revision));
  }
  return {};
}

asio::awaitable<void> Gateway::redeploy() {
  std::vector<std::shared_ptr<ServiceSnapshot>> all;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, s] : services_) all.push_back(s);
  }
  for (const auto& s : all) {
    Status st = co_await deploy_all(s->spec);
    if (!st.ok()) {
      event(s->spec.name, "deploy_failed", "could not load the service's versions at start: " + st.message());
    }
  }
}

asio::awaitable<Result<json>> Gateway::create(const json& body, const std::string& actor) {
  auto spec = parse_service_spec(body);
  if (!spec.ok()) co_return spec.status();
  if (find(spec->name)) co_return already_exists("service '" + spec->name + "' already exists");
  if (hooks_.model_exists(spec->name)) {
    co_return already_exists("'" + spec->name + "' is a model's name; clients would not know which one they call. "
                             "Pick another service name");
  }
  if (Status s = resolve_all(*spec); !s.ok()) co_return s;
  if (Status s = co_await deploy_all(*spec); !s.ok()) co_return s;
  json state = json::object();
  if (spec->canary) {
    state["canary"] = canary_state_json(CanaryState{"progressing", 0, now_unix_ms()}, *spec->canary);
  }
  store::ServiceRecord record{spec->name, spec_json(*spec), state, 1, 0, 0};
  if (Status s = store_.create_service(record); !s.ok()) co_return s;
  install(build(*spec, state, 1));
  event(spec->name, "created", "created by " + actor, spec_json(*spec));
  co_return view(*find(spec->name));
}

asio::awaitable<Result<json>> Gateway::update(const std::string& name, const json& patch, const std::string& actor) {
  auto current = find(name);
  if (!current) co_return not_found("service '" + name + "' does not exist");
  if (!patch.is_object()) co_return invalid_argument("the body must be a JSON object");
  if (patch.contains("name") && patch["name"] != name) co_return invalid_argument("a service cannot be renamed");
  json merged = spec_json(current->spec);
  for (const auto& [k, v] : patch.items()) {
    if (v.is_null()) {
      merged.erase(k);
    } else {
      merged[k] = v;
    }
  }
  auto spec = parse_service_spec(merged);
  if (!spec.ok()) co_return spec.status();
  if (Status s = resolve_all(*spec); !s.ok()) co_return s;
  if (Status s = co_await deploy_all(*spec); !s.ok()) co_return s;
  json state = current->state;
  if (patch.contains("canary") || patch.contains("routes")) {
    state.erase("canary");
    if (spec->canary) {
      state["canary"] = canary_state_json(CanaryState{"progressing", 0, now_unix_ms()}, *spec->canary);
    }
  }
  Status s = transition(*current, *spec, state, "updated", "changed by " + actor, patch);
  if (!s.ok()) co_return s;
  co_return view(*find(name));
}

Status Gateway::remove(const std::string& name, const std::string& actor) {
  MAAS_RETURN_IF_ERROR(store_.delete_service(name));
  {
    std::lock_guard lock(mu_);
    if (auto it = services_.find(name); it != services_.end()) {
      for (const auto& r : it->second->routes) {
        weights_.with({name, r.target.model, std::to_string(r.target.version)}).set(0);
      }
      services_.erase(it);
    }
  }
  release_unreferenced();
  spdlog::info("service {} deleted by {}", name, actor);
  return {};
}

Result<json> Gateway::show(const std::string& name) const {
  auto s = find(name);
  if (!s) return not_found("service '" + name + "' does not exist");
  return view(*s);
}

std::vector<json> Gateway::list() const {
  std::vector<std::shared_ptr<ServiceSnapshot>> all;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, s] : services_) all.push_back(s);
  }
  std::vector<json> out;
  for (const auto& s : all) out.push_back(view(*s));
  return out;
}

Result<std::vector<store::ServiceEvent>> Gateway::events(const std::string& name, int limit) {
  if (!find(name)) return not_found("service '" + name + "' does not exist");
  return store_.list_service_events(name, limit);
}

Status Gateway::transition(const ServiceSnapshot& current, const ServiceSpec& spec, const json& state,
                           const std::string& kind, const std::string& message, const json& detail) {
  MAAS_ASSIGN_OR_RETURN(auto record, store_.update_service(spec.name, spec_json(spec), state, current.revision));
  install(build(spec, state, record.revision));
  event(spec.name, kind, message, detail);
  transitions_.with({spec.name, kind}).inc();
  release_unreferenced();
  return {};
}

void Gateway::start(std::chrono::milliseconds tick) {
  timer_ = std::make_shared<asio::steady_timer>(io_);
  auto loop = controller(tick);
  asio::co_spawn(io_, std::move(loop), asio::detached);
}

void Gateway::stop() {
  stopped_->store(true);
  if (timer_) {
    auto timer = timer_;
    asio::post(io_, [timer] { timer->cancel(); });
  }
}

asio::awaitable<void> Gateway::controller(std::chrono::milliseconds tick) {
  auto timer = timer_;
  auto stopped = stopped_;
  while (!stopped->load()) {
    timer->expires_after(tick);
    boost::system::error_code ec;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (stopped->load()) break;
    std::vector<std::shared_ptr<const ServiceSnapshot>> rolling;
    {
      std::lock_guard lock(mu_);
      for (const auto& [name, s] : services_) {
        if (s->spec.canary && canary_state(s->state).phase == "progressing") rolling.push_back(s);
      }
    }
    for (const auto& s : rolling) evaluate_canary(s);
    co_await autoscale();
  }
}

void Gateway::evaluate_canary(const std::shared_ptr<const ServiceSnapshot>& s) {
  const CanarySpec& canary = *s->spec.canary;
  auto c = canary_state(s->state);
  const LiveRoute* route = nullptr;
  for (const auto& r : s->routes) {
    if (r.canary) route = &r;
  }
  if (!route) return;
  const RouteStats& stats = *route->stats;
  int64_t n = stats.requests();
  double error_rate = stats.error_rate();
  double p99_ms = stats.p99_seconds() * 1000;
  json detail = {{"step", c.step},
                 {"weight", canary.steps[c.step]},
                 {"requests", n},
                 {"errors", stats.errors()},
                 {"error_rate", error_rate},
                 {"p99_ms_at_most", p99_ms},
                 {"max_error_rate", canary.max_error_rate},
                 {"max_p99_ms", canary.max_p99_ms}};
  std::string stage = "version " + std::to_string(canary.target.version) + " at " + json(canary.steps[c.step]).dump() + "%";
  bool too_many_errors = n >= canary.min_requests && error_rate > canary.max_error_rate;
  bool too_slow = n >= canary.min_requests && canary.max_p99_ms > 0 && p99_ms > canary.max_p99_ms;
  if (too_many_errors || too_slow) {
    std::string why = too_many_errors ? "error rate " + percent(error_rate) + "% > " + percent(canary.max_error_rate) +
                                            "% over " + std::to_string(n) + " requests"
                                      : "p99 latency up to " + json(p99_ms).dump() + " ms > " +
                                            json(canary.max_p99_ms).dump() + " ms";
    c.phase = "rolled_back";
    json state = s->state;
    state["canary"] = canary_state_json(c, canary);
    state["canary"]["reason"] = why;
    Status st = transition(*s, s->spec, state, "canary_rolled_back",
                           "rolled back " + stage + ": " + why + "; all traffic to version " +
                               std::to_string(s->spec.routes[0].target.version),
                           detail);
    if (!st.ok()) spdlog::warn("service {}: canary rollback not recorded yet: {}", s->spec.name, st.message());
    return;
  }
  double elapsed_s = static_cast<double>(now_unix_ms() - c.step_started_ms) / 1000.0;
  if (elapsed_s < canary.interval_seconds || n < canary.min_requests) return;
  if (c.step + 1 >= canary.steps.size()) {
    // Healthy at 100%: the canary becomes the service's only route.
    ServiceSpec promoted = s->spec;
    promoted.routes = {RouteSpec{canary.target, 100}};
    promoted.canary.reset();
    json state = s->state;
    state["canary"] = {{"phase", "promoted"}, {"version", canary.target.version}, {"at_ms", now_unix_ms()}};
    Status st = transition(*s, promoted, state, "canary_promoted",
                           "promoted " + stage + " after " + std::to_string(n) + " requests with error rate " +
                               percent(error_rate) + "%",
                           detail);
    if (!st.ok()) spdlog::warn("service {}: canary promotion not recorded yet: {}", s->spec.name, st.message());
    return;
  }
  c.step += 1;
  c.step_started_ms = now_unix_ms();
  json state = s->state;
  state["canary"] = canary_state_json(c, canary);
  Status st = transition(*s, s->spec, state, "canary_advanced",
                         "advanced version " + std::to_string(canary.target.version) + " to " +
                             json(canary.steps[c.step]).dump() + "% (" + std::to_string(n) +
                             " requests at the last stage, error rate " + percent(error_rate) + "%)",
                         detail);
  if (!st.ok()) spdlog::warn("service {}: canary step not recorded yet: {}", s->spec.name, st.message());
}

}  // namespace maas::gateway
