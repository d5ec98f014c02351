#include "gateway/service_call.h"

#include <atomic>
#include <cstring>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

namespace maas::gateway {
namespace {
using Clock = std::chrono::steady_clock;

constexpr int kShadowPriority = 10;  // the last to run: a shadow must never delay a client
constexpr auto kShadowTimeout = std::chrono::seconds(30);

bool same_outputs(const std::vector<runtime::Tensor>& a, const std::vector<runtime::Tensor>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].datatype != b[i].datatype || a[i].shape != b[i].shape || a[i].data.size() != b[i].data.size() ||
        std::memcmp(a[i].data.data(), b[i].data.data(), a[i].data.size()) != 0) {
      return false;
    }
  }
  return true;
}

// Copies the request to the shadow version and compares what it answers with what the client got.
boost::asio::awaitable<void> shadow_call(Gateway& gateway, std::shared_ptr<runtime::ModelRunner> runner,
                                         runtime::ExecuteRequest execute, std::vector<runtime::Tensor> primary,
                                         std::string service) {
  auto outputs = co_await runner->infer(std::move(execute), kShadowPriority, Clock::now() + kShadowTimeout);
  gateway.count_shadow(service, !outputs.ok() ? "error" : same_outputs(*outputs, primary) ? "match" : "mismatch");
}

ServiceOutcome refused(std::string reason, Status status, std::optional<LimitDecision> limit = std::nullopt) {
  ServiceOutcome out;
  out.status = std::move(status);
  out.rejection = std::move(reason);
  out.limit = limit;
  return out;
}

// Holds one of the service's concurrency slots for the call's lifetime.
struct InFlight {
  explicit InFlight(std::shared_ptr<std::atomic<int>> c) : counter(std::move(c)), now(counter->fetch_add(1) + 1) {}
  ~InFlight() { counter->fetch_sub(1); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  std::shared_ptr<std::atomic<int>> counter;
  int now;
};

// The tensor runner of a loaded version; null when it is not loaded or has none.
std::shared_ptr<runtime::ModelRunner> tensor_of(const std::shared_ptr<runtime::ServedModel>& served) {
  return served ? served->as_tensor() : nullptr;
}

}  // namespace

boost::asio::awaitable<ServiceOutcome> call_service(Gateway& gateway, runtime::ModelManager& models,
                                                    std::shared_ptr<const ServiceSnapshot> svc,
                                                    const http::Request& req, const PrepareInvocation& prepare) {
  auto started = Clock::now();
  const std::string& name = svc->spec.name;
  if (req.principal && !req.principal->may_invoke(name)) {
    co_return refused("forbidden", permission_denied("the key " + req.principal->key_id + " is not granted '" + name + "'"));
  }
  if (Status too_large = svc->check_body(req.body.size()); !too_large.ok()) co_return refused("too_large", too_large);
  // Limits, cheapest refusal first: concurrency, then the buckets and quotas (Gateway::admit).
  InFlight in_flight(svc->in_flight);
  if (svc->spec.max_concurrency > 0 && in_flight.now > svc->spec.max_concurrency) {
    co_return refused("concurrency", resource_exhausted("service '" + name + "' is at its limit of " +
                                                        std::to_string(svc->spec.max_concurrency) +
                                                        " concurrent requests; retry shortly"));
  }
  auto admission = gateway.admit(svc.get(), req.principal.get());
  if (!admission.status.ok()) co_return refused(admission.reason, admission.status, admission.limit);
  auto chosen = svc->route_for(req);
  if (!chosen.ok()) {
    co_return refused(chosen.status().code() == StatusCode::kInvalidArgument ? "bad_request" : "no_route",
                      chosen.status());
  }
  const LiveRoute* route = *chosen;
  ServiceOutcome out;
  out.limit = admission.limit;
  out.model = route->target.model;
  out.version = std::to_string(route->target.version);
  auto served = models.find(route->target.model, route->target.version);
  if (!served) {
    route->stats->record(false, 0);
    ServiceOutcome r = refused("not_loaded", unavailable("service '" + name + "': " + out.model + " version " +
                                                         out.version + " is not loaded"));
    r.model = out.model;
    r.version = out.version;
    co_return r;
  }
  auto runner = served->as_tensor();
  if (!runner && served->as_graph()) {
    out.status = invalid_argument("service '" + name + "': " + out.model + " version " + out.version +
                                  " is a maas-graph; a service routes to tensor versions: call the graph by its " +
                                  "model's name (POST /v2/models/" + out.model + "/infer)");
    co_return out;
  }
  if (!runner) {
    out.status = invalid_argument("service '" + name + "': " + out.model + " version " + out.version + " (" +
                                  served->framework() + ") is a generative model and does not support infer; call " +
                                  "the service with POST /v1/chat/completions, /v1/completions or /v1/embeddings");
    co_return out;
  }
  auto invocation = prepare(*runner);
  if (!invocation.ok()) {
    out.status = invocation.status();
    co_return out;
  }
  auto execute = invocation->execute;  // kept for the shadow and the fallback (tensors share their bytes)
  auto outputs = co_await runner->infer(invocation->execute, invocation->priority, invocation->deadline, &out.timing);
  // The request passed the signature check, so any failure now is the version's: it counts against a canary,
  // and the fallback answers for it.
  route->stats->record(outputs.ok(), std::chrono::duration<double>(Clock::now() - started).count());
  if (!outputs.ok() && svc->spec.fallback) {
    const auto& fb = *svc->spec.fallback;
    if (auto fallback = tensor_of(models.find(fb.model, fb.version))) {
      out.fallback_reason = outputs.status().message();
      out.model = fb.model;
      out.version = std::to_string(fb.version);
      outputs = co_await fallback->infer(execute, invocation->priority, invocation->deadline, &out.timing);
    }
  }
  if (!outputs.ok()) {
    out.status = outputs.status();
    co_return out;
  }
  if (svc->shadow_this()) {
    if (auto shadow = tensor_of(models.find(svc->spec.shadow->model, svc->spec.shadow->version))) {
      auto executor = co_await boost::asio::this_coro::executor;
      boost::asio::co_spawn(executor, shadow_call(gateway, shadow, execute, *outputs, name), boost::asio::detached);
    } else {
      gateway.count_shadow(name, "error");
    }
  }
  out.outputs = std::move(*outputs);
  co_return out;
}

}  // namespace maas::gateway
