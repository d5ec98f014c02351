// What the Open Inference Protocol's route files share: the context they capture (registry, manager, gateway,
// metrics), the protocol's error shape, and how a request's {model}/{version} becomes a loaded runner.
// Internal to src/api. The context is shared by the routes' handlers and must outlive the router.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/infer_input_hook.h"
#include "api/shared_memory_regions.h"
#include "gateway/gateway.h"
#include "http/request.h"
#include "metrics/metrics.h"
#include "registry/registry.h"
#include "runtime/model_manager.h"
#include "runtime/model_runner.h"

namespace maas::api {

struct InferenceMetrics {
  explicit InferenceMetrics(metrics::Registry& r);
  metrics::Family<metrics::Counter>& requests;     // by service, model, version, code
  metrics::Family<metrics::Histogram>& duration;   // by service, model, version
};

struct V2Context {
  registry::Registry& registry;
  runtime::ModelManager& models;
  InferenceMetrics inference;
  std::function<bool()> draining;
  gateway::Gateway* gateway = nullptr;
  bool load_on_demand = false;
  InferInputHook* input_hook = nullptr;  // may be null (infer_input_hook.h)
  // The system shared memory extension's regions (shared_memory_regions.h); never null once the routes are added.
  std::unique_ptr<SharedMemoryRegions> shared_memory;
};

// The Open Inference Protocol's error shape: {"error": "message"}; a full queue is 503 with Retry-After.
http::Response v2_error(const Status& status);
// The gateway's refusal of a client over its limits or quotas: 429, Retry-After, and the bucket's X-RateLimit-*
// headers when a bucket refused.
http::Response refusal(const Status& status, const std::optional<gateway::LimitDecision>& d);
void add_limit_headers(http::Response& r, const gateway::LimitDecision& d);

// The loaded version serving {model} (and {version}, a number or an alias), whatever its kind; NOT_FOUND naming the
// load endpoint when none is loaded, PERMISSION_DENIED for a key not granted the model.
Result<std::shared_ptr<runtime::ServedModel>> loaded_model(V2Context& c, const http::Request& req);
// Its tensor runner, for infer: INVALID_ARGUMENT saying which API serves a version without one.
Result<std::shared_ptr<runtime::ModelRunner>> tensor_runner(const std::shared_ptr<runtime::ServedModel>& served);

// What the runtime needs to load a registered version (its deployment config left at the defaults). Also a graph's
// steps' loads (server/components/graph_component.cc).
runtime::LoadSpec load_spec(registry::Registry& registry, const std::string& model, const store::VersionRecord& record);
// A load that failed, worded for the client: INVALID_ARGUMENT unless the version was busy loading.
Status load_failure(const std::string& model, int64_t version, const Status& s);

}  // namespace maas::api
