// A service: the unit clients call. A name bound to model versions with a traffic policy — a weighted split
// (sticky by a header or the key), a canary rollout, shadow traffic, a fallback — and request limits. The spec is
// what the user wrote (validated by parse_service_spec); a ServiceSnapshot is what the gateway serves now.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "gateway/autoscaler.h"
#include "http/request.h"

namespace maas::gateway {

struct Target {
  std::string model;
  std::string ref;          // as written: a version number or an alias
  int64_t version = 0;      // resolved when the service is created or changed
  nlohmann::json config;    // the deployment config its workers are loaded with (replicas = instances)
};

struct RouteSpec {
  Target target;
  double weight = 0;
};

struct CanarySpec {
  Target target;
  std::vector<double> steps;  // percent of traffic at each stage, ending at 100
  double interval_seconds = 30;
  double max_error_rate = 0.05;
  double max_p99_ms = 0;      // 0: not checked
  int64_t min_requests = 20;
};

struct ServiceSpec {
  std::string name;
  std::string description;
  std::vector<RouteSpec> routes;
  std::string sticky_header;  // requests with the same value land on the same version; "" = random
  std::optional<Target> shadow;
  double shadow_percent = 0;
  std::optional<Target> fallback;
  std::optional<CanarySpec> canary;
  double rps = 0, burst = 0;           // the whole service
  double key_rps = 0, key_burst = 0;   // each key on this service
  double tpm = 0, key_tpm = 0;         // LLM tokens (prompt + completion) a minute: the service, each key on it
  int max_concurrency = 0;             // 0: unlimited
  uint64_t max_body_bytes = 0;         // request bodies over this are 413; 0: the server's limits only
  std::optional<AutoscalingSpec> autoscaling;  // the replicas of each route's version; unset: fixed
};

// Parses a POST /api/v1/services body (`name` required) or a PATCH body merged over the current spec.
Result<ServiceSpec> parse_service_spec(const nlohmann::json& body);
nlohmann::json spec_json(const ServiceSpec& spec);

// Outcomes of one route since its stats were last reset, for canary analysis.
class RouteStats {
 public:
  void record(bool ok, double seconds);
  int64_t requests() const { return ok_.load() + errors_.load(); }
  int64_t errors() const { return errors_.load(); }
  double error_rate() const;
  // An upper bound of the 99th percentile from fixed buckets (0 with no requests).
  double p99_seconds() const;

 private:
  static constexpr std::array<double, 16> kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                     0.5,   1,      2.5,   5,    10,    30,    60,   120};
  std::atomic<int64_t> ok_{0}, errors_{0};
  std::array<std::atomic<int64_t>, kBounds.size() + 1> buckets_{};
};

struct LiveRoute {
  Target target;
  double weight = 0;  // in force now
  bool canary = false;
  std::shared_ptr<RouteStats> stats = std::make_shared<RouteStats>();
};

// What the gateway serves for one service; replaced whole (never mutated) when weights change.
struct ServiceSnapshot {
  ServiceSpec spec;
  nlohmann::json state;  // canary phase, weights in force
  int64_t revision = 0;
  std::vector<LiveRoute> routes;
  std::shared_ptr<std::atomic<int>> in_flight = std::make_shared<std::atomic<int>>(0);

  // The route for a request: `override_version` (the debug header) if it names a route's version, else by
  // `sticky_value`'s hash when the service is sticky and a value is given, else by `random_unit` in [0, 1).
  const LiveRoute* pick(std::optional<int64_t> override_version, const std::optional<std::string>& sticky_value,
                        double random_unit) const;
  // The route for a request: the override (the x-maas-version header, or the {version} of a versioned path),
  // else by the sticky header's value (the caller's key when the header is absent) when the service is sticky,
  // else a weighted draw. INVALID_ARGUMENT for an override that is not a number, NOT_FOUND for one that no route
  // has, UNAVAILABLE when no route has weight.
  Result<const LiveRoute*> route_for(const http::Request& req) const;
  // Whether this request is copied to the shadow version (shadow_percent of them).
  bool shadow_this() const;
  // Refuses what the service's own limits forbid before any work: a body over max_body_bytes.
  Status check_body(size_t body_bytes) const;
};

}  // namespace maas::gateway
