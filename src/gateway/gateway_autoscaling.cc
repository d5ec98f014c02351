// The gateway controller's autoscaling step: read each autoscaled version's load from the runtime, let its
// Autoscaler decide, apply the decision, and record every change of the replica count as a service event with the
// numbers it was made from.
#include <set>

#include <spdlog/spdlog.h>

#include "gateway/gateway.h"

namespace maas::gateway {
using nlohmann::json;

namespace {

std::string version_of(const Target& t) { return "version " + std::to_string(t.version) + " of " + t.model; }

// The replicas a version was loaded with (its deployment config's "instances"): where it returns to when it is no
// longer autoscaled.
int configured_replicas(const Target& t) {
  auto it = t.config.find("instances");
  return it != t.config.end() && it->is_number_integer() ? it->get<int>() : 1;
}

}  // namespace

boost::asio::awaitable<void> Gateway::autoscale() {
  if (!hooks_.sample_load || !hooks_.scale) co_return;
  std::vector<std::shared_ptr<const ServiceSnapshot>> services;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, s] : services_) {
      if (s->spec.autoscaling) services.push_back(s);
    }
  }
  std::set<std::tuple<std::string, std::string, int64_t>> seen;
  for (const auto& s : services) {
    const AutoscalingSpec& spec = *s->spec.autoscaling;
    json status = json::array();
    for (const auto& route : s->routes) {
      const Target& target = route.target;
      auto key = std::make_tuple(s->spec.name, target.model, target.version);
      if (!seen.insert(key).second) continue;
      auto load = co_await hooks_.sample_load(target);
      if (!load) continue;  // not loaded (yet), or served by an engine
      auto [it, fresh] = scaled_.try_emplace(key);
      ScaledVersion& v = it->second;
      if (fresh) {
        v.target = target;
        v.autoscaler = std::make_unique<Autoscaler>(spec, load->at);
        v.last = *load;
        v.decided = load->desired;
        continue;
      }
      v.autoscaler->set_spec(spec);
      double seconds = std::chrono::duration<double>(load->at - v.last.at).count();
      double area = spec.metric == "queue_depth" ? load->queue_area - v.last.queue_area
                                                 : load->concurrency_area - v.last.concurrency_area;
      // A smaller area: a new runner (the version was reloaded) whose integral started again; skip that interval.
      if (seconds > 0 && area >= 0) v.autoscaler->observe(v.last.at, load->at, area / seconds);
      v.last = *load;
      if (v.decided == 0 && load->desired > 0) {
        // The runner started a replica for a request that found none (the activator's work, not a decision here).
        json detail = {{"current", 0}, {"desired", load->desired}, {"ready", load->ready}};
        event(s->spec.name, "cold_start",
              version_of(target) + ": a request arrived at 0 replicas; starting " + std::to_string(load->desired) +
                  " (requests wait in its queue until it is ready)",
              detail);
        scale_decisions_.with({s->spec.name, "cold_start"}).inc();
        v.decided = load->desired;
      }
      ScaleDecision d = v.autoscaler->decide(load->at, load->desired, load->ready);
      if (d.desired != load->desired) hooks_.scale(target, d.desired);
      if (d.desired != v.decided) {
        record_scale(*s, target, d);
        v.decided = d.desired;
      }
      std::string version = std::to_string(target.version);
      desired_replicas_.with({s->spec.name, target.model, version}).set(d.desired);
      ready_replicas_.with({s->spec.name, target.model, version}).set(load->ready);
      panic_.with({s->spec.name, target.model, version}).set(d.panic ? 1 : 0);
      status.push_back({{"model", target.model},
                        {"version", target.version},
                        {"desired", d.desired},
                        {"ready", load->ready},
                        {"panic", d.panic},
                        {"stable_average", d.stable_average},
                        {"panic_average", d.panic_average}});
    }
    std::lock_guard lock(mu_);
    autoscaling_status_[s->spec.name] = std::move(status);
  }
  // Versions no longer autoscaled (the service, its route or its autoscaling went): back to their configured count.
  for (auto it = scaled_.begin(); it != scaled_.end();) {
    if (seen.count(it->first)) {
      ++it;
      continue;
    }
    forget_scaled(it->first);
    it = scaled_.erase(it);
  }
  std::lock_guard lock(mu_);
  for (auto it = autoscaling_status_.begin(); it != autoscaling_status_.end();) {
    auto svc = services_.find(it->first);
    it = svc == services_.end() || !svc->second->spec.autoscaling ? autoscaling_status_.erase(it) : std::next(it);
  }
}

void Gateway::record_scale(const ServiceSnapshot& s, const Target& target, const ScaleDecision& d) {
  const AutoscalingSpec& spec = *s.spec.autoscaling;
  const char* kind = d.desired == 0 ? "scaled_to_zero" : d.desired > d.current ? "scaled_up" : "scaled_down";
  char averages[128];
  std::snprintf(averages, sizeof(averages), "%s %.3g over %gs, %.3g over %gs", spec.metric.c_str(), d.stable_average,
                spec.stable_window_s, d.panic_average, spec.panic_window_s);
  event(s.spec.name, kind,
        version_of(target) + ": " + std::to_string(d.current) + " -> " + std::to_string(d.desired) + " replicas (" +
            d.why + "; " + averages + ", target " + json(spec.target).dump() + " per replica)",
        d.detail(spec));
  scale_decisions_.with({s.spec.name, kind}).inc();
}

void Gateway::forget_scaled(const std::tuple<std::string, std::string, int64_t>& key) {
  const auto& [service, model, version] = key;
  const ScaledVersion& v = scaled_.at(key);
  hooks_.scale(v.target, configured_replicas(v.target));
  std::string label = std::to_string(version);
  desired_replicas_.remove({service, model, label});
  ready_replicas_.remove({service, model, label});
  panic_.remove({service, model, label});
}

}  // namespace maas::gateway
