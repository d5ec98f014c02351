// The gateway's services: create, change and delete them (loading the versions they need through the
// runtime), serve their snapshots to the inference path, run canary rollouts — advancing a canary stage by
// stage while its error rate and p99 stay within the service's thresholds, rolling it back the moment they do
// not — and autoscale the versions of services that ask for it (autoscaler.h). Every decision is a service event
// with its reason and inputs (GET /api/v1/services/{name}/events).
//
// Thread-safety: snapshots are immutable and swapped under a mutex; find() is cheap and may be called from any
// thread. The controller (canaries, autoscaling) is one coroutine on the server's io_context; its autoscaling
// state is its own.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "gateway/autoscaler.h"
#include "gateway/quota.h"
#include "gateway/rate_limiter.h"
#include "http/request.h"
#include "gateway/service.h"
#include "metrics/metrics.h"
#include "store/gateway_store.h"

namespace maas::gateway {

// What admit() decided for one request.
struct Admission {
  Status status;                         // RESOURCE_EXHAUSTED when refused
  // quota | rate_limit_key | rate_limit_service | rate_limit_key_service | token_limit_key | token_limit_service |
  // token_limit_key_service
  const char* reason = "";
  std::optional<LimitDecision> limit;    // the refusing bucket, or the tightest request bucket: X-RateLimit-*
  std::optional<LimitDecision> token_limit;  // the tightest LLM-token bucket (tokens a minute), when one applies
  bool llm_tokens = false;               // refused by an LLM-token bucket
};

struct GatewayHooks {
  // A model's version number for a ref (number, alias or "latest").
  std::function<Result<int64_t>(const std::string& model, const std::string& ref)> resolve;
  // Loads a version (keeping the model's other versions) unless it is loaded already.
  std::function<boost::asio::awaitable<Status>(const Target& target)> deploy;
  std::function<bool(const std::string& model, int64_t version)> is_loaded;
  std::function<bool(const std::string& model)> model_exists;
  // Unloads a version the gateway loaded once no service uses it any more (its in-flight requests finish).
  std::function<Status(const std::string& model, int64_t version)> undeploy;
  // Autoscaling: a version's replicas and load (nullopt when it is not loaded or cannot scale), and a new count.
  std::function<boost::asio::awaitable<std::optional<ReplicaLoad>>(const Target& target)> sample_load;
  std::function<void(const Target& target, int replicas)> scale;
};

class Gateway {
 public:
  Gateway(store::GatewayStore& store, GatewayHooks hooks, metrics::Registry& metrics, boost::asio::io_context& io);

  // Reads the stored services into snapshots; their versions are loaded by redeploy().
  Status restore();
  boost::asio::awaitable<void> redeploy();
  // Starts the canary controller (ticks every `tick`) on the io_context.
  void start(std::chrono::milliseconds tick = std::chrono::milliseconds(100));
  void stop();

  std::shared_ptr<const ServiceSnapshot> find(const std::string& name) const;

  boost::asio::awaitable<Result<nlohmann::json>> create(const nlohmann::json& body, const std::string& actor);
  // `patch` replaces the top-level fields it names (null removes an optional one).
  boost::asio::awaitable<Result<nlohmann::json>> update(const std::string& name, const nlohmann::json& patch,
                                                        const std::string& actor);
  Status remove(const std::string& name, const std::string& actor);
  Result<nlohmann::json> show(const std::string& name) const;
  std::vector<nlohmann::json> list() const;
  Result<std::vector<store::ServiceEvent>> events(const std::string& name, int limit);

  RateLimiter& limiter() { return limiter_; }
  QuotaTracker& quotas() { return quotas_; }
  // The rate limits of the key, of the service and of the key on the service (each when set), then the key's
  // quotas. Null `svc`: a direct model call; null `who`: a public route. Refusals are not counted here: the caller
  // counts them with its service and reason.
  Admission admit(const ServiceSnapshot* svc, const http::Principal* who);
  // A finished generation's prompt + completion tokens: charged to the token buckets that admit() peeked and to
  // the key's monthly token quota.
  void charge_tokens(const ServiceSnapshot* svc, const http::Principal* who, int64_t tokens);
  void count_rejection(const std::string& service, const std::string& reason);
  // One answered request through a service, by key and HTTP code.
  void count_request(const std::string& service, const std::string& key_id, int code);
  void count_shadow(const std::string& service, const std::string& outcome);
  void event(const std::string& service, const std::string& kind, const std::string& message,
             nlohmann::json detail = nlohmann::json::object());

 private:
  std::shared_ptr<ServiceSnapshot> build(const ServiceSpec& spec, const nlohmann::json& state, int64_t revision) const;
  nlohmann::json view(const ServiceSnapshot& s) const;
  Status resolve_all(ServiceSpec& spec) const;
  boost::asio::awaitable<Status> deploy_all(const ServiceSpec& spec);
  void install(std::shared_ptr<ServiceSnapshot> snapshot);
  // Unloads the versions this gateway loaded that no service routes, shadows, falls back or rolls out to any more
  // (a deleted service, a route removed, the old version after a promotion). Versions loaded by someone else stay.
  void release_unreferenced();
  boost::asio::awaitable<void> controller(std::chrono::milliseconds tick);
  void evaluate_canary(const std::shared_ptr<const ServiceSnapshot>& s);
  // One autoscaling step for every service that has it (gateway_autoscaling.cc).
  boost::asio::awaitable<void> autoscale();
  void record_scale(const ServiceSnapshot& s, const Target& target, const ScaleDecision& d);
  // A version no longer autoscaled: back to its configured replicas, its series removed.
  void forget_scaled(const std::tuple<std::string, std::string, int64_t>& key);
  // Writes a new spec/state for the service (revision-checked) and installs its snapshot.
  Status transition(const ServiceSnapshot& current, const ServiceSpec& spec, const nlohmann::json& state,
                    const std::string& kind, const std::string& message, const nlohmann::json& detail);

  store::GatewayStore& store_;
  GatewayHooks hooks_;
  boost::asio::io_context& io_;
  LocalRateLimiter limiter_;
  QuotaTracker quotas_;
  metrics::Family<metrics::Counter>& rejections_;
  metrics::Family<metrics::Counter>& requests_;
  metrics::Family<metrics::Counter>& shadows_;
  metrics::Family<metrics::Counter>& transitions_;
  metrics::Family<metrics::Gauge>& weights_;
  metrics::Family<metrics::Gauge>& desired_replicas_;
  metrics::Family<metrics::Gauge>& ready_replicas_;
  metrics::Family<metrics::Gauge>& panic_;
  metrics::Family<metrics::Counter>& scale_decisions_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<ServiceSnapshot>> services_;
  std::set<std::pair<std::string, int64_t>> owned_;  // versions deploy_all loaded; guarded by mu_
  // A version autoscaled for a service (the controller's own state, keyed by service, model, version).
  struct ScaledVersion {
    Target target;
    std::unique_ptr<Autoscaler> autoscaler;
    ReplicaLoad last;  // the previous reading: the next one's averages start there
    int decided = 0;   // the last count decided or seen (a cold start raises it outside the autoscaler)
  };
  std::map<std::tuple<std::string, std::string, int64_t>, ScaledVersion> scaled_;
  std::map<std::string, nlohmann::json> autoscaling_status_;  // by service, for view(); under mu_
  std::shared_ptr<boost::asio::steady_timer> timer_;
  std::shared_ptr<std::atomic<bool>> stopped_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace maas::gateway
