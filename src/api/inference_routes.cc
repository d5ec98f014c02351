#include "api/inference_routes.h"

#include <algorithm>
#include <charconv>

#include "api/repository_request.h"
#include "common/names.h"
#include "common/version.h"
#include "protocol/kserve_v2.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <cmath>
#include <cstring>

namespace maas::api {
namespace {
using http::Request;
using http::Response;
using nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;
using Clock = std::chrono::steady_clock;

constexpr int kDefaultPriority = 5;  // 1 (first) .. 10 (last)
// The model label of requests to a name that is not registered (no model name can start with '_').
constexpr std::string_view kUnknownModelLabel = "__unknown__";

// The runner priority of a request that does not set its own: the API key's priority (-100 shed first .. 100 shed
// last, 0 by default) mapped onto Triton's 1 (first) .. 10 (last), so key 0 lands on the default 5.
int priority_of_key(const http::Principal* principal) {
  if (!principal) return kDefaultPriority;
  int p = std::clamp(principal->priority, -100, 100);
  return std::clamp(kDefaultPriority - p / 20, 1, 10);
}

// The Open Inference Protocol's error shape: {"error": "message"}.
Response v2_error(const Status& status) {
  Response r = Response::json(http_status_for(status.code()), {{"error", status.message()}});
  if (status.code() == StatusCode::kResourceExhausted) {
    // A full queue is an overload, not a client's quota: 503 with Retry-After, as Triton answers.
    r.status = 503;
    r.headers.emplace_back("Retry-After", "1");
  } else if (status.code() == StatusCode::kUnavailable) {
    r.headers.emplace_back("Retry-After", "1");
  }
  return r;
}

struct InferenceMetrics {
  explicit InferenceMetrics(metrics::Registry& r)
      : requests(r.counter("maas_inference_requests_total", "Inference requests by service, model, version and HTTP code",
                           {"service", "model", "version", "code"})),
        duration(r.histogram("maas_inference_request_duration_seconds", "Inference request latency at the gateway",
                             {"service", "model", "version"}, metrics::latency_buckets())) {}
  metrics::Family<metrics::Counter>& requests;
  metrics::Family<metrics::Histogram>& duration;
};

struct Context {
  registry::Registry& registry;
  runtime::ModelManager& models;
  metrics::Registry& metrics;
  InferenceMetrics inference;
  std::function<bool()> draining;
  gateway::Gateway* gateway = nullptr;
  bool load_on_demand = false;
};

// Resolves {version} (a number or an alias) to a number.
Result<std::optional<int64_t>> version_param(Context& c, const Request& req) {
  auto it = req.path_params.find("version");
  if (it == req.path_params.end()) return std::optional<int64_t>();
  MAAS_ASSIGN_OR_RETURN(int64_t v, c.registry.resolve(req.param("model"), it->second));
  return std::optional<int64_t>(v);
}

Result<std::shared_ptr<runtime::ModelRunner>> loaded_runner(Context& c, const Request& req) {
  MAAS_RETURN_IF_ERROR(validate_name(req.param("model"), "model"));
  if (req.principal && !req.principal->may_invoke(req.param("model"))) {
    return permission_denied("the key " + req.principal->key_id + " is not granted '" + req.param("model") + "'");
  }
  MAAS_ASSIGN_OR_RETURN(auto version, version_param(c, req));
  auto runner = c.models.find(req.param("model"), version);
  if (!runner) {
    return not_found("model '" + req.param("model") + "'" + (version ? " version " + std::to_string(*version) : "") +
                     " is not loaded; load it with POST /v2/repository/models/" + req.param("model") + "/load");
  }
  return runner;
}

Status load_failure(const std::string& model, int64_t version, const Status& s);

// What the runtime needs to load a registered version (its deployment config left at the defaults).
runtime::LoadSpec load_spec(Context& c, const std::string& model, const store::VersionRecord& record) {
  runtime::LoadSpec spec;
  spec.model = model;
  spec.version = record.version;
  spec.framework = record.framework;
  spec.artifact = c.registry.artifacts().blob_path(record.digest);
  spec.digest = record.digest;
  return spec;
}

// runtime.load_on_demand: the version a request names (or the model's latest) is loaded with the default
// deployment config while the request waits, within its deadline; requests that arrive meanwhile wait for the
// same load. LLM (GGUF) versions are not: their engine config (context, slots) is too weighty to guess.
boost::asio::awaitable<Result<std::shared_ptr<runtime::ModelRunner>>> load_for_request(Context& c, const Request& req) {
  const std::string& model = req.param("model");
  auto ref = req.path_params.find("version");
  auto found = c.registry.get_version(model, ref == req.path_params.end() ? "latest" : ref->second);
  if (!found.ok()) co_return found.status();
  const auto& record = found->version;
  if (c.models.is_engine_framework(record.framework) || record.framework == "gguf") {
    co_return not_found("model '" + model + "' version " + std::to_string(record.version) +
                        " is not loaded, and LLM versions are not loaded on demand; load it with POST "
                        "/v2/repository/models/" + model + "/load");
  }
  runtime::LoadSpec spec = load_spec(c, model, record);
  auto runner = co_await c.models.load_on_demand(spec, req.deadline);
  if (!runner.ok()) {
    if (runner.status().code() == StatusCode::kDeadlineExceeded) co_return runner.status();
    co_return load_failure(model, record.version, runner.status());
  }
  co_return *runner;
}

std::string platform_of(const std::string& framework) {
  if (framework == "xgboost") return "xgboost_json";
  if (framework == "onnx") return "onnx_opencv";
  if (framework == "torchscript") return "pytorch_libtorch";
  return framework;
}

Result<int64_t> int_parameter(const std::map<std::string, std::string>& params, const char* name, int64_t fallback,
                              int64_t min, int64_t max) {
  auto it = params.find(name);
  if (it == params.end()) return fallback;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  if (ec != std::errc() || ptr != it->second.data() + it->second.size() || value < min || value > max) {
    return invalid_argument(std::string("parameter '") + name + "' must be an integer from " + std::to_string(min) +
                            " to " + std::to_string(max));
  }
  return value;
}

// A parsed inference call, ready for a runner: what to execute, at which priority, by when.
struct PreparedCall {
  protocol::InferRequest request;
  runtime::ExecuteRequest execute;
  int priority = kDefaultPriority;
  Clock::time_point deadline;
};

Result<PreparedCall> prepare_call(Request& req, const runtime::ModelRunner& runner, Clock::time_point started) {
  std::optional<size_t> json_length;
  if (auto h = req.header("inference-header-content-length")) {
    size_t n = 0;
    auto [ptr, ec] = std::from_chars(h->data(), h->data() + h->size(), n);
    if (ec != std::errc() || ptr != h->data() + h->size()) {
      return invalid_argument("Inference-Header-Content-Length must be a byte count");
    }
    json_length = n;
  }
  auto body = runtime::Buffer::adopt(std::move(req.body));
  PreparedCall call;
  MAAS_ASSIGN_OR_RETURN(call.request, protocol::parse_infer_request(body, json_length, runner.max_tensor_elements()));
  MAAS_RETURN_IF_ERROR(protocol::check_against_signature(call.request, *runner.shared_signature()));
  MAAS_ASSIGN_OR_RETURN(int64_t priority, int_parameter(call.request.parameters, "priority",
                                                        priority_of_key(req.principal.get()), 1, 10));
  call.priority = static_cast<int>(priority);
  // Triton's "timeout" request parameter, in microseconds.
  MAAS_ASSIGN_OR_RETURN(int64_t timeout_us, int_parameter(call.request.parameters, "timeout", 0, 0, 3'600'000'000));
  call.deadline = req.deadline;  // server.request_timeout_ms
  if (timeout_us > 0) call.deadline = std::min(call.deadline, started + std::chrono::microseconds(timeout_us));
  call.execute.inputs = call.request.inputs;
  for (const auto& o : call.request.outputs) call.execute.outputs.push_back(o.name);
  for (const auto& [k, v] : call.request.parameters) {
    if (k != "priority" && k != "timeout") call.execute.parameters[k] = v;
  }
  return call;
}

Result<Response> encode_outputs(const std::string& name, const std::string& version, const PreparedCall& call,
                                std::vector<runtime::Tensor> outputs) {
  protocol::InferResponse response{name, version, call.request.id, std::move(outputs)};
  MAAS_ASSIGN_OR_RETURN(auto encoded, protocol::encode_infer_response(response, call.request));
  Response r;
  r.status = 200;
  r.content_type = encoded.content_type;
  r.body = std::move(encoded.body);
  if (encoded.json_length) r.headers.emplace_back("Inference-Header-Content-Length", std::to_string(*encoded.json_length));
  r.headers.emplace_back("x-maas-model-version", version);
  return r;
}

Awaitable infer_service(Context& c, Request& req, std::shared_ptr<const gateway::ServiceSnapshot> svc);
Response refusal(const Status& status, const std::optional<gateway::LimitDecision>& d);

Awaitable infer(Context& c, Request& req) {
  if (c.gateway) {
    if (auto svc = c.gateway->find(req.param("model"))) co_return co_await infer_service(c, req, std::move(svc));
  }
  auto started = Clock::now();
  const std::string& model = req.param("model");
  auto runner = loaded_runner(c, req);
  if (!runner.ok() && runner.status().code() == StatusCode::kNotFound && c.load_on_demand) {
    runner = co_await load_for_request(c, req);
  }
  std::string version_label = runner.ok() ? std::to_string((*runner)->version()) : "";
  // A series per name a client sends would grow without bound: only registered models get their own.
  std::string model_label = runner.ok() || c.registry.get_model(model).ok() ? model : std::string(kUnknownModelLabel);
  req.log_fields.model = model;
  req.log_fields.version = version_label;
  auto finish = [&](Response r) {
    c.inference.requests.with({"", model_label, version_label, std::to_string(r.status)}).inc();
    if (r.status == 503 && c.gateway) c.gateway->count_rejection("", "unavailable");
    if (r.status == 503) req.log_fields.rejection_reason = "overloaded";
    if (runner.ok()) {
      c.inference.duration.with({"", model_label, version_label})
          .observe(std::chrono::duration<double>(Clock::now() - started).count());
    }
    return r;
  };
  if (!runner.ok()) co_return finish(v2_error(runner.status()));
  if (c.gateway) {
    auto admission = c.gateway->admit(nullptr, req.principal.get());
    if (!admission.status.ok()) {
      c.gateway->count_rejection("", admission.reason);
      req.log_fields.rejection_reason = admission.reason;
      co_return finish(refusal(admission.status, admission.limit));
    }
  }
  auto call = prepare_call(req, **runner, started);
  if (!call.ok()) co_return finish(v2_error(call.status()));
  auto outputs = co_await (*runner)->infer(call->execute, call->priority, call->deadline);
  if (!outputs.ok()) co_return finish(v2_error(outputs.status()));
  auto response = encode_outputs(model, version_label, *call, std::move(*outputs));
  if (!response.ok()) co_return finish(v2_error(response.status()));
  co_return finish(std::move(*response));
}

void add_limit_headers(Response& r, const gateway::LimitDecision& d) {
  r.headers.emplace_back("X-RateLimit-Limit", std::to_string(static_cast<int64_t>(d.limit)));
  r.headers.emplace_back("X-RateLimit-Remaining", std::to_string(static_cast<int64_t>(d.remaining)));
  r.headers.emplace_back("X-RateLimit-Reset", std::to_string(static_cast<int64_t>(std::ceil(d.reset_seconds))));
}

// The gateway's refusal of a client over its limits or quotas: 429 (not v2_error's overload 503, which a full
// queue gets), Retry-After, and the bucket's X-RateLimit-* headers when a bucket refused.
Response refusal(const Status& status, const std::optional<gateway::LimitDecision>& d) {
  Response r = Response::json(429, {{"error", status.message()}});
  int64_t retry = 1;
  if (d) {
    add_limit_headers(r, *d);
    retry = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(d->retry_after_seconds)));
  }
  r.headers.emplace_back("Retry-After", std::to_string(retry));
  return r;
}

// Copies the request to the shadow version and compares what it answers with what the client got.
Awaitable shadow_call(Context& c, std::shared_ptr<runtime::ModelRunner> runner, runtime::ExecuteRequest execute,
                      std::vector<runtime::Tensor> primary, std::string service, Clock::time_point deadline) {
  auto outputs = co_await runner->infer(std::move(execute), 10, deadline);
  std::string outcome = "match";
  if (!outputs.ok()) {
    outcome = "error";
  } else if (outputs->size() != primary.size()) {
    outcome = "mismatch";
  } else {
    for (size_t i = 0; i < primary.size(); ++i) {
      const auto& a = primary[i];
      const auto& b = (*outputs)[i];
      if (a.datatype != b.datatype || a.shape != b.shape || a.data.size() != b.data.size() ||
          std::memcmp(a.data.data(), b.data.data(), a.data.size()) != 0) {
        outcome = "mismatch";
      }
    }
  }
  c.gateway->count_shadow(service, outcome);
  co_return Response{};
}

Awaitable infer_service(Context& c, Request& req, std::shared_ptr<const gateway::ServiceSnapshot> svc) {
  auto started = Clock::now();
  const std::string& name = svc->spec.name;
  std::string model_label, version_label;
  req.log_fields.service = name;
  auto finish = [&](Response r) {
    req.log_fields.model = model_label;
    req.log_fields.version = version_label;
    c.inference.requests.with({name, model_label, version_label, std::to_string(r.status)}).inc();
    c.gateway->count_request(name, req.principal ? req.principal->key_id : "", r.status);
    if (r.status == 503) c.gateway->count_rejection(name, "unavailable");
    if (!version_label.empty()) {
      c.inference.duration.with({name, model_label, version_label})
          .observe(std::chrono::duration<double>(Clock::now() - started).count());
    }
    return r;
  };
  // A refusal by the gateway: a limit (RESOURCE_EXHAUSTED) is the client's 429, anything else its usual status.
  auto reject = [&](const std::string& reason, const Status& status,
                    const std::optional<gateway::LimitDecision>& limit = std::nullopt) {
    c.gateway->count_rejection(name, reason);
    req.log_fields.rejection_reason = reason;
    return finish(status.code() == StatusCode::kResourceExhausted ? refusal(status, limit) : v2_error(status));
  };
  if (req.principal && !req.principal->may_invoke(name)) {
    co_return reject("forbidden", permission_denied("the key " + req.principal->key_id + " is not granted '" + name + "'"));
  }
  if (Status too_large = svc->check_body(req.body.size()); !too_large.ok()) co_return reject("too_large", too_large);
  // Limits, cheapest refusal first: concurrency, then the buckets and quotas (Gateway::admit).
  int in_flight = svc->in_flight->fetch_add(1) + 1;
  struct Release {
    std::shared_ptr<std::atomic<int>> counter;
    ~Release() { counter->fetch_sub(1); }
  } release{svc->in_flight};
  if (svc->spec.max_concurrency > 0 && in_flight > svc->spec.max_concurrency) {
    co_return reject("concurrency", resource_exhausted("service '" + name + "' is at its limit of " +
                                                       std::to_string(svc->spec.max_concurrency) +
                                                       " concurrent requests; retry shortly"));
  }
  auto admission = c.gateway->admit(svc.get(), req.principal.get());
  if (!admission.status.ok()) co_return reject(admission.reason, admission.status, admission.limit);
  auto chosen = svc->route_for(req);
  if (!chosen.ok()) {
    co_return reject(chosen.status().code() == StatusCode::kInvalidArgument ? "bad_request" : "no_route",
                     chosen.status());
  }
  const gateway::LiveRoute* route = *chosen;
  model_label = route->target.model;
  version_label = std::to_string(route->target.version);
  auto runner = c.models.find(route->target.model, route->target.version);
  if (!runner) {
    route->stats->record(false, 0);
    co_return reject("not_loaded", unavailable("service '" + name + "': " + model_label + " version " + version_label +
                                               " is not loaded"));
  }
  auto call = prepare_call(req, *runner, started);
  if (!call.ok()) co_return finish(v2_error(call.status()));
  auto execute = call->execute;  // kept for the shadow and the fallback (tensors share their bytes)
  auto outputs = co_await runner->infer(call->execute, call->priority, call->deadline);
  // The request passed the signature check, so any failure now is the version's: it counts against a canary,
  // and the fallback answers for it.
  route->stats->record(outputs.ok(), std::chrono::duration<double>(Clock::now() - started).count());
  std::string fallback_reason;
  if (!outputs.ok() && svc->spec.fallback) {
    const auto& fb = *svc->spec.fallback;
    if (auto fallback = c.models.find(fb.model, fb.version)) {
      fallback_reason = outputs.status().message();
      model_label = fb.model;
      version_label = std::to_string(fb.version);
      outputs = co_await fallback->infer(execute, call->priority, call->deadline);
    }
  }
  if (!outputs.ok()) co_return finish(v2_error(outputs.status()));
  if (svc->shadow_this()) {
    if (auto shadow = c.models.find(svc->spec.shadow->model, svc->spec.shadow->version)) {
      auto executor = co_await boost::asio::this_coro::executor;
      auto copy = shadow_call(c, shadow, execute, *outputs, name, Clock::now() + std::chrono::seconds(30));
      boost::asio::co_spawn(executor, std::move(copy), boost::asio::detached);
    } else {
      c.gateway->count_shadow(name, "error");
    }
  }
  auto response = encode_outputs(name, version_label, *call, std::move(*outputs));
  if (!response.ok()) co_return finish(v2_error(response.status()));
  response->headers.emplace_back("x-maas-model", model_label);
  response->headers.emplace_back("x-maas-service", name);
  if (!fallback_reason.empty()) {
    fallback_reason.resize(std::min<size_t>(fallback_reason.size(), 200));
    for (auto& ch : fallback_reason) {
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = ' ';  // a header value is one line
    }
    response->headers.emplace_back("x-maas-fallback", fallback_reason);
  }
  if (admission.limit) add_limit_headers(*response, *admission.limit);
  co_return finish(std::move(*response));
}

// Each worker instance with its circuit breaker, so an operator sees which replica is ejected and why.
json instances_json(const runtime::ModelRunner& r) {
  json out = json::array();
  for (const auto& i : r.instances()) {
    out.push_back({{"instance", i.index},
                   {"pid", i.pid},
                   {"alive", i.alive},
                   {"ready", i.ready},
                   {"retiring", i.retiring},
                   {"restarts", i.restarts},
                   {"cpu_seconds", i.cpu_seconds},
                   {"rss_bytes", i.rss_bytes},
                   {"circuit_state", std::string(runtime::circuit_state_name(i.circuit))},
                   {"ejections", i.ejections},
                   {"consecutive_failures", i.consecutive_failures}});
  }
  return out;
}

json stats_json(const runtime::ModelRunner& r) {
  auto s = r.stats();
  auto d = [](const runtime::DurationStat& x) { return json{{"count", x.count}, {"ns", x.ns}}; };
  json batches = json::array();
  for (const auto& [size, stat] : s.batch_stats) {
    batches.push_back({{"batch_size", size}, {"compute_infer", d(stat)}});
  }
  return {{"name", r.model()},
          {"version", std::to_string(r.version())},
          {"last_inference", s.last_inference_ms},
          {"inference_count", s.inference_count},
          {"execution_count", s.execution_count},
          {"inference_stats",
           {{"success", d(s.success)}, {"fail", d(s.fail)}, {"queue", d(s.queue)}, {"compute_input", d(s.compute_input)},
            {"compute_infer", d(s.compute_infer)}, {"compute_output", d(s.compute_output)}}},
          {"batch_stats", batches},
          {"worker_restarts", s.worker_restarts},
          {"instances", instances_json(r)}};
}

Status load_failure(const std::string& model, int64_t version, const Status& s) {
  return Status(s.code() == StatusCode::kFailedPrecondition ? s.code() : StatusCode::kInvalidArgument,
                "failed to load model '" + model + "' version " + std::to_string(version) + ": " + s.message());
}

// Loads a version of a model (a ref: number, alias, "latest") with a deployment config: the load endpoint's
// work, shared with services. The answer is {name, version, state, config}.
boost::asio::awaitable<Result<json>> deploy_version(Context& c, const std::string& model, const std::string& ref,
                                                    const json& config_json, bool keep_others) {
  auto version = c.registry.get_version(model, ref);
  if (!version.ok()) co_return version.status();
  const auto& record = version->version;
  runtime::LoadSpec spec = load_spec(c, model, record);
  if (c.models.is_engine_framework(record.framework)) {
    // Served by an engine of its own (GGUF: the LLM engine, through /v1); the engine validates its config.
    spec.engine_config = config_json.is_null() ? json::object() : config_json;
    auto engine = co_await c.models.load_engine(spec, keep_others);
    if (!engine.ok()) co_return load_failure(model, record.version, engine.status());
    co_return json{{"name", model}, {"version", std::to_string(record.version)}, {"state", "READY"},
                   {"config", (*engine)->config_json()}};
  }
  if (record.framework == "gguf") {
    co_return failed_precondition("this maasd was built without llama.cpp, so it cannot serve GGUF models");
  }
  auto config = runtime::parse_deployment_config(config_json);
  if (!config.ok()) co_return config.status();
  spec.config = *config;
  auto runner = co_await c.models.load(spec, keep_others);
  if (!runner.ok()) co_return load_failure(model, record.version, runner.status());
  co_return json{{"name", model},
                 {"version", std::to_string(record.version)},
                 {"state", "READY"},
                 {"config", runtime::deployment_config_json(*config)}};
}

Awaitable load(Context& c, Request& req) {
  const std::string& model = req.param("model");
  auto request = parse_repository_request(req.body);
  if (!request.ok()) co_return v2_error(request.status());
  const std::string ref = request->version.value_or("latest");
  auto loaded = co_await deploy_version(c, model, ref, request->config, request->keep_other_versions);
  if (!loaded.ok()) co_return v2_error(loaded.status());
  co_return Response::json(200, *loaded);
}

}  // namespace

DeployFunction add_inference_routes(http::Router& router, registry::Registry& registry, runtime::ModelManager& models,
                                    metrics::Registry& metrics, std::function<bool()> draining,
                                    gateway::Gateway* gateway, bool load_on_demand) {
  auto c = std::make_shared<Context>(
      Context{registry, models, metrics, InferenceMetrics(metrics), std::move(draining), gateway, load_on_demand});

  router.add(
      "GET", "/v2/health/live",
      [](Request&) -> Awaitable { co_return Response::json(200, {{"live", true}}); }, http::BodyMode::kBuffered,
      http::Access::kPublic);
  router.add(
      "GET", "/v2/health/ready",
      [c](Request&) -> Awaitable {
        bool ready = !c->draining();
        co_return Response::json(ready ? 200 : 503, {{"ready", ready}});
      },
      http::BodyMode::kBuffered, http::Access::kPublic);
  router.add("GET", "/v2", [](Request&) -> Awaitable {
    co_return Response::json(200, {{"name", "maas"},
                                   {"version", kVersion},
                                   {"extensions", {"binary_tensor_data", "model_repository", "statistics"}}});
  }, http::BodyMode::kBuffered, http::Access::kInvoke);

  auto metadata = [c](Request& req) -> Awaitable {
    auto runner = loaded_runner(*c, req);
    if (!runner.ok()) co_return v2_error(runner.status());
    std::vector<std::string> versions;
    for (const auto& r : c->models.list()) {
      if (r->model() == req.param("model")) versions.push_back(std::to_string(r->version()));
    }
    Response res;
    res.body = protocol::model_metadata_json(req.param("model"), versions, platform_of((*runner)->framework()),
                                             (*runner)->signature());
    co_return res;
  };
  router.add("GET", "/v2/models/{model}", metadata, http::BodyMode::kBuffered, http::Access::kInvoke);
  router.add("GET", "/v2/models/{model}/versions/{version}", metadata, http::BodyMode::kBuffered, http::Access::kInvoke);

  auto ready = [c](Request& req) -> Awaitable {
    auto runner = loaded_runner(*c, req);
    if (!runner.ok()) co_return v2_error(runner.status());
    bool is_ready = (*runner)->state() == runtime::ModelState::kReady;
    json body = {{"name", req.param("model")}, {"ready", is_ready}};
    if (!is_ready) {
      body["state"] = runtime::model_state_name((*runner)->state());
      body["reason"] = (*runner)->reason();
    }
    co_return Response::json(is_ready ? 200 : 503, body);
  };
  router.add("GET", "/v2/models/{model}/ready", ready, http::BodyMode::kBuffered, http::Access::kInvoke);
  router.add("GET", "/v2/models/{model}/versions/{version}/ready", ready, http::BodyMode::kBuffered,
             http::Access::kInvoke);

  auto infer_route = [c](Request& req) -> Awaitable { return infer(*c, req); };
  router.add("POST", "/v2/models/{model}/infer", infer_route, http::BodyMode::kBufferedLarge, http::Access::kInvoke);
  router.add("POST", "/v2/models/{model}/versions/{version}/infer", infer_route, http::BodyMode::kBufferedLarge,
             http::Access::kInvoke);

  auto stats = [c](Request& req) -> Awaitable {
    json list = json::array();
    if (req.path_params.count("model") == 0) {
      for (const auto& r : c->models.list()) list.push_back(stats_json(*r));
    } else {
      auto runner = loaded_runner(*c, req);
      if (!runner.ok()) co_return v2_error(runner.status());
      list.push_back(stats_json(**runner));
    }
    co_return Response::json(200, {{"model_stats", list}});
  };
  router.add("GET", "/v2/models/stats", stats);
  router.add("GET", "/v2/models/{model}/stats", stats);
  router.add("GET", "/v2/models/{model}/versions/{version}/stats", stats);

  router.add("POST", "/v2/repository/index", [c](Request&) -> Awaitable {
    json index = json::array();
    for (const auto& r : c->models.list()) {
      json entry = {{"name", r->model()}, {"version", std::to_string(r->version())},
                    {"state", runtime::model_state_name(r->state())}};
      if (!r->reason().empty()) entry["reason"] = r->reason();
      // Loaded by a request (runtime.load_on_demand): the memory budget may unload it again.
      if (c->models.evictable(r->model(), r->version())) entry["loaded_on_demand"] = true;
      index.push_back(entry);
    }
    for (const auto& e : c->models.list_engines()) {
      json entry = {{"name", e->model()}, {"version", std::to_string(e->version())},
                    {"state", runtime::model_state_name(e->state())}};
      if (!e->reason().empty()) entry["reason"] = e->reason();
      index.push_back(entry);
    }
    std::string token;
    do {
      store::ModelQuery q;
      q.limit = 1000;
      auto page = c->registry.list_models(q, token);
      if (!page.ok()) co_return v2_error(page.status());
      for (const auto& m : page->models) {
        bool loaded = false;
        for (const auto& r : c->models.list()) loaded = loaded || r->model() == m.model.name;
        for (const auto& e : c->models.list_engines()) loaded = loaded || e->model() == m.model.name;
        if (!loaded && m.model.latest_version > 0) {
          index.push_back({{"name", m.model.name}, {"version", std::to_string(m.model.latest_version)}, {"state", "UNAVAILABLE"},
                           {"reason", "unloaded"}});
        }
      }
      token = page->next_page_token;
    } while (!token.empty());
    co_return Response::json(200, index);
  }, http::BodyMode::kBuffered, http::Access::kRead);
  router.add("POST", "/v2/repository/models/{model}/load", [c](Request& req) -> Awaitable { return load(*c, req); });
  router.add("POST", "/v2/repository/models/{model}/unload", [c](Request& req) -> Awaitable {
    auto request = parse_repository_request(req.body);
    if (!request.ok()) co_return v2_error(request.status());
    std::optional<int64_t> version;
    if (request->version) {
      auto resolved = c->registry.resolve(req.param("model"), *request->version);
      if (!resolved.ok()) co_return v2_error(resolved.status());
      version = *resolved;
    }
    Status s = c->models.unload(req.param("model"), version);
    if (!s.ok()) co_return v2_error(s);
    co_return Response::json(200, json::object());
  });

  router.add("GET", "/metrics", [c](Request&) -> Awaitable {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = c->metrics.render();
    co_return r;
  });

  return [c](const gateway::Target& target) -> boost::asio::awaitable<Status> {
    // Named, not temporaries inside the co_await: GCC 12 destroyed the ternary's json twice there.
    json config = target.config.empty() ? json() : target.config;
    std::string version = std::to_string(target.version);
    auto loaded = co_await deploy_version(*c, target.model, version, config, /*keep_others=*/true);
    co_return loaded.ok() ? Status{} : loaded.status();
  };
}

}  // namespace maas::api
