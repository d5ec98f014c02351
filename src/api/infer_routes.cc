#include <algorithm>

#include "api/graph_infer.h"
#include "api/infer_call.h"
#include "api/model_loading.h"
#include "api/v2_routes.h"
#include "gateway/service_call.h"
#include "graph/graph_model.h"

namespace maas::api {
namespace {
using http::Request;
using http::Response;
using Awaitable = boost::asio::awaitable<Response>;
using Clock = std::chrono::steady_clock;

// The model label of requests to a name that is not registered (no model name can start with '_').
constexpr std::string_view kUnknownModelLabel = "__unknown__";
constexpr size_t kMaxFallbackHeaderBytes = 200;

// The reason a fallback answered, as one header line.
std::string header_value(std::string text) {
  text.resize(std::min(text.size(), kMaxFallbackHeaderBytes));
  for (auto& ch : text) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = ' ';
  }
  return text;
}

// A request to a service: the gateway applies the service's rules (gateway/service_call.h); this side speaks the
// protocol and counts.
Awaitable infer_service(V2Context& c, Request& req, std::shared_ptr<const gateway::ServiceSnapshot> svc) {
  auto started = Clock::now();
  const std::string name = svc->spec.name;
  req.log_fields.service = name;
  std::optional<PreparedCall> call;
  auto prepare = [&](const runtime::ModelRunner& runner) -> Result<gateway::Invocation> {
    MAAS_ASSIGN_OR_RETURN(call, prepare_call(req, runner, started, c.input_hook, c.shared_memory.get()));
    return call->invocation;
  };
  gateway::ServiceOutcome out = co_await gateway::call_service(*c.gateway, c.models, svc, req, prepare);
  auto finish = [&](Response r) {
    req.log_fields.model = out.model;
    req.log_fields.version = out.version;
    c.inference.requests.with({name, out.model, out.version, std::to_string(r.status)}).inc();
    c.gateway->count_request(name, req.principal ? req.principal->key_id : "", r.status);
    if (r.status == 503) c.gateway->count_rejection(name, "unavailable");
    if (!out.version.empty()) {
      c.inference.duration.with({name, out.model, out.version})
          .observe(std::chrono::duration<double>(Clock::now() - started).count());
    }
    return r;
  };
  if (!out.rejection.empty()) {
    c.gateway->count_rejection(name, out.rejection);
    req.log_fields.rejection_reason = out.rejection;
    // A limit (RESOURCE_EXHAUSTED) is the client's 429; anything else its usual status.
    co_return finish(out.status.code() == StatusCode::kResourceExhausted ? refusal(out.status, out.limit)
                                                                          : v2_error(out.status));
  }
  if (!out.status.ok()) co_return finish(v2_error(out.status));
  auto response = encode_outputs(name, out.version, *call, std::move(out.outputs));
  if (!response.ok()) co_return finish(v2_error(response.status()));
  response->headers.emplace_back("x-maas-model", out.model);
  response->headers.emplace_back("x-maas-service", name);
  add_server_timing(*response, out.timing, started);
  if (!out.fallback_reason.empty()) response->headers.emplace_back("x-maas-fallback", header_value(out.fallback_reason));
  if (out.limit) add_limit_headers(*response, *out.limit);
  co_return finish(std::move(*response));
}

Awaitable infer(V2Context& c, Request& req) {
  if (c.gateway) {
    if (auto svc = c.gateway->find(req.param("model"))) co_return co_await infer_service(c, req, std::move(svc));
  }
  auto started = Clock::now();
  const std::string& model = req.param("model");
  auto served = loaded_model(c, req);
  if (!served.ok() && served.status().code() == StatusCode::kNotFound && c.load_on_demand) {
    served = co_await load_for_request(c, req);
  }
  // What serves the request: a graph, or a tensor version's runner (`resolved` says why neither).
  Status resolved = served.status();
  std::shared_ptr<graph::GraphModel> graph;
  std::shared_ptr<runtime::ModelRunner> runner;
  if (resolved.ok()) {
    graph = (*served)->as_graph();
    if (!graph) {
      auto tensor = tensor_runner(*served);
      resolved = tensor.status();
      if (tensor.ok()) runner = std::move(*tensor);
    }
  }
  std::string version_label = resolved.ok() ? std::to_string((*served)->version()) : "";
  // A series per name a client sends would grow without bound: only registered models get their own.
  std::string model_label = resolved.ok() || c.registry.get_model(model).ok() ? model : std::string(kUnknownModelLabel);
  req.log_fields.model = model;
  req.log_fields.version = version_label;
  auto finish = [&](Response r) {
    c.inference.requests.with({"", model_label, version_label, std::to_string(r.status)}).inc();
    if (r.status == 503 && c.gateway) c.gateway->count_rejection("", "unavailable");
    if (r.status == 503) req.log_fields.rejection_reason = "overloaded";
    if (resolved.ok()) {
      c.inference.duration.with({"", model_label, version_label})
          .observe(std::chrono::duration<double>(Clock::now() - started).count());
    }
    return r;
  };
  if (!resolved.ok()) co_return finish(v2_error(resolved));
  if (c.gateway) {
    auto admission = c.gateway->admit(nullptr, req.principal.get());
    if (!admission.status.ok()) {
      c.gateway->count_rejection("", admission.reason);
      req.log_fields.rejection_reason = admission.reason;
      co_return finish(refusal(admission.status, admission.limit));
    }
  }
  if (graph) {
    const uint64_t max_elements = c.models.worker_limits().max_tensor_elements;
    http::Response answer = co_await infer_graph(req, graph, started, max_elements, c.shared_memory.get());
    co_return finish(std::move(answer));
  }
  auto call = prepare_call(req, *runner, started, c.input_hook, c.shared_memory.get());
  if (!call.ok()) co_return finish(v2_error(call.status()));
  const gateway::Invocation& run = call->invocation;
  runtime::RequestTiming timing;
  auto outputs = co_await runner->infer(run.execute, run.priority, run.deadline, &timing);
  if (!outputs.ok()) co_return finish(v2_error(outputs.status()));
  auto response = encode_outputs(model, version_label, *call, std::move(*outputs));
  if (!response.ok()) co_return finish(v2_error(response.status()));
  add_server_timing(*response, timing, started);
  co_return finish(std::move(*response));
}

}  // namespace

void add_infer_routes(http::Router& router, std::shared_ptr<V2Context> c) {
  auto route = [c](Request& req) -> Awaitable { return infer(*c, req); };
  router.add("POST", "/v2/models/{model}/infer", route, http::BodyMode::kBufferedLarge, http::Access::kInvoke);
  router.add("POST", "/v2/models/{model}/versions/{version}/infer", route, http::BodyMode::kBufferedLarge,
             http::Access::kInvoke);
}

}  // namespace maas::api
