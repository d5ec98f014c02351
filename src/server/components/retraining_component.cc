// Retraining (src/training/retrain, docs/TRAINING.md#retraining): model policies whose runs train on the newest
// dataset version, validate and roll out as a gateway canary; /api/v1/models/{name}/retraining. Wires the
// retrainer to the alerting engine (an alert rule firing) and the gateway (the canary, the service's timeline).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>

#include "alerting/engine.h"
#include "data/api/data_api.h"
#include "gateway/gateway.h"
#include "jobs/job_service.h"
#include "logs/log_center.h"
#include "registry/registry.h"
#include "server/components/components.h"
#include "server/context.h"
#include "training/retrain/retrain_routes.h"
#include "training/retrain/retrainer.h"
#include "training/validation/validator.h"

namespace maas::server {
namespace {

using nlohmann::json;

std::optional<int64_t> newest_firing(const alerting::Engine& engine, const std::string& rule) {
  std::optional<int64_t> newest;
  for (const alerting::Alert& a : engine.alerts()) {
    auto name = a.labels.find("alertname");
    if (a.state != "firing" || name == a.labels.end() || name->second != rule) continue;
    if (!newest || a.fired_at_ms > *newest) newest = a.fired_at_ms;
  }
  return newest;
}

json canary_phase(const gateway::Gateway& gw, const std::string& service, int64_t version) {
  auto s = gw.find(service);
  if (!s) return {{"phase", "gone"}, {"reason", "the service was deleted"}};
  const json& state = s->state;
  const json canary = state.contains("canary") && state["canary"].is_object() ? state["canary"] : json::object();
  const std::string phase = canary.value("phase", std::string());
  if (phase == "promoted" && canary.value("version", int64_t{0}) == version) return {{"phase", "promoted"}};
  if (!s->spec.canary || s->spec.canary->target.version != version) {
    return {{"phase", "gone"}, {"reason", "the service's canary was changed"}};
  }
  if (phase == "rolled_back") return {{"phase", "rolled_back"}, {"reason", canary.value("reason", std::string())}};
  return {{"phase", "progressing"}};
}

// `stopping`: set when maasd stops (its I/O threads are gone then, so a canary's update would never be answered).
training::retrain::RetrainHooks make_hooks(gateway::Gateway* gw, alerting::Engine* engine, boost::asio::io_context& io,
                                           const std::shared_ptr<std::atomic<bool>>& stopping) {
  training::retrain::RetrainHooks hooks;
  if (engine) {
    hooks.alert_fired_at = [engine](const std::string& rule) { return newest_firing(*engine, rule); };
  }
  if (!gw) return hooks;
  hooks.check_service = [gw](const std::string& service, const std::string& model) -> Status {
    auto s = gw->find(service);
    if (!s) return not_found("there is no service '" + service + "'");
    for (const auto& route : s->spec.routes) {
      if (route.target.model == model) return {};
    }
    return invalid_argument("service '" + service + "' routes no version of model '" + model + "'");
  };
  hooks.start_canary = [gw, &io, stopping](const std::string& service, const json& canary,
                                           const std::string& actor) -> Status {
    // The gateway's PATCH runs on the I/O threads; the retrainer's thread waits for it.
    auto patch = [gw, service, body = json{{"canary", canary}}, actor]() -> boost::asio::awaitable<Status> {
      auto updated = co_await gw->update(service, body, actor);
      co_return updated.status();
    };
    auto done = boost::asio::co_spawn(io, std::move(patch), boost::asio::use_future);
    while (done.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
      // UNAVAILABLE leaves the run where it was: the next maasd starts its canary.
      if (stopping->load()) return unavailable("maasd is stopping");
    }
    return done.get();
  };
  hooks.canary_phase = [gw](const std::string& service, const std::string&, int64_t version) {
    return canary_phase(*gw, service, version);
  };
  hooks.service_event = [gw](const std::string& service, const std::string& kind, const std::string& message,
                             const json& detail) { gw->event(service, kind, message, detail); };
  return hooks;
}

class RetrainingComponent final : public Component {
 public:
  std::string_view name() const override { return "retraining"; }

  Status start(Context& context) override {
    auto& services = context.services();
    auto* data = services.find<data::api::DataApi>();
    auto* validator = services.find<training::validation::Validator>();
    auto* jobs = services.find<jobs::JobService>();
    if (!data || !validator || !jobs) return {};  // retraining trains on the data center's datasets
    const auto& cfg = context.config();
    MAAS_ASSIGN_OR_RETURN(store_, training::retrain::RunStore::open(cfg.data_dir / "metadata.db"));
    training::retrain::RetrainLimits limits;
    limits.max_policies = cfg.retraining_max_policies;
    limits.runs_kept = cfg.retraining_runs_kept;
    limits.min_interval_floor_seconds = (cfg.retraining_min_interval_floor_ms + 999) / 1000;
    retrainer_ = std::make_unique<training::retrain::Retrainer>(
        *store_, *jobs, services.get<registry::Registry>(), *data, *validator, services.get<logs::LogCenter>(),
        make_hooks(services.find<gateway::Gateway>(), services.find<alerting::Engine>(), context.io(), stopping_),
        limits);
    training::retrain::add_retrain_routes(context.router(), *retrainer_, context.blocking());
    return {};
  }

  void serving(Context& /*context*/) override {
    if (retrainer_) retrainer_->start();
  }

  void stop() override {
    stopping_->store(true);
    if (retrainer_) retrainer_->stop();
  }

 private:
  std::shared_ptr<std::atomic<bool>> stopping_ = std::make_shared<std::atomic<bool>>(false);
  std::unique_ptr<training::retrain::RunStore> store_;
  std::unique_ptr<training::retrain::Retrainer> retrainer_;
};

}  // namespace

std::unique_ptr<Component> make_retraining_component() { return std::make_unique<RetrainingComponent>(); }

}  // namespace maas::server
