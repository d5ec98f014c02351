#include "api/inference_routes.h"

#include <charconv>

#include "common/names.h"
#include "common/version.h"
#include "protocol/kserve_v2.h"

namespace maas::api {
namespace {
using http::Request;
using http::Response;
using nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;
using Clock = std::chrono::steady_clock;

constexpr int kDefaultPriority = 5;  // 1 (first) .. 10 (last)

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

Awaitable infer(Context& c, Request& req) {
  auto started = Clock::now();
  const std::string& model = req.param("model");
  auto runner = loaded_runner(c, req);
  std::string version_label = runner.ok() ? std::to_string((*runner)->version()) : "";
  req.log_fields.model = model;
  req.log_fields.version = version_label;
  auto finish = [&](Response r) {
    c.inference.requests.with({"", model, version_label, std::to_string(r.status)}).inc();
    if (r.status == 503) req.log_fields.rejection_reason = "overloaded";
    if (runner.ok()) {
      c.inference.duration.with({"", model, version_label})
          .observe(std::chrono::duration<double>(Clock::now() - started).count());
    }
    return r;
  };
  if (!runner.ok()) co_return finish(v2_error(runner.status()));
  std::optional<size_t> json_length;
  if (auto h = req.header("inference-header-content-length")) {
    size_t n = 0;
    auto [ptr, ec] = std::from_chars(h->data(), h->data() + h->size(), n);
    if (ec != std::errc() || ptr != h->data() + h->size()) {
      co_return finish(v2_error(invalid_argument("Inference-Header-Content-Length must be a byte count")));
    }
    json_length = n;
  }
  auto body = runtime::Buffer::adopt(std::move(req.body));
  auto parsed = protocol::parse_infer_request(body, json_length);
  if (!parsed.ok()) co_return finish(v2_error(parsed.status()));
  auto& infer_request = *parsed;
  if (Status s = protocol::check_against_signature(infer_request, (*runner)->signature()); !s.ok()) {
    co_return finish(v2_error(s));
  }
  auto priority = int_parameter(infer_request.parameters, "priority", kDefaultPriority, 1, 10);
  if (!priority.ok()) co_return finish(v2_error(priority.status()));
  // Triton's "timeout" request parameter, in microseconds.
  auto timeout_us = int_parameter(infer_request.parameters, "timeout", 0, 0, 3'600'000'000);
  if (!timeout_us.ok()) co_return finish(v2_error(timeout_us.status()));
  auto deadline = req.deadline;  // server.request_timeout_ms
  if (*timeout_us > 0) deadline = std::min(deadline, started + std::chrono::microseconds(*timeout_us));

  runtime::ExecuteRequest execute;
  execute.inputs = infer_request.inputs;
  for (const auto& o : infer_request.outputs) execute.outputs.push_back(o.name);
  for (const auto& [k, v] : infer_request.parameters) {
    if (k != "priority" && k != "timeout") execute.parameters[k] = v;
  }
  auto outputs = co_await (*runner)->infer(std::move(execute), static_cast<int>(*priority), deadline);
  if (!outputs.ok()) co_return finish(v2_error(outputs.status()));
  protocol::InferResponse response{model, version_label, infer_request.id, std::move(*outputs)};
  auto encoded = protocol::encode_infer_response(response, infer_request);
  if (!encoded.ok()) co_return finish(v2_error(encoded.status()));
  Response r;
  r.status = 200;
  r.content_type = encoded->content_type;
  r.body = std::move(encoded->body);
  if (encoded->json_length) r.headers.emplace_back("Inference-Header-Content-Length", std::to_string(*encoded->json_length));
  r.headers.emplace_back("x-maas-model-version", version_label);
  co_return finish(std::move(r));
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
          {"worker_restarts", s.worker_restarts}};
}

Status load_failure(const std::string& model, int64_t version, const Status& s) {
  return Status(s.code() == StatusCode::kFailedPrecondition ? s.code() : StatusCode::kInvalidArgument,
                "failed to load model '" + model + "' version " + std::to_string(version) + ": " + s.message());
}

Awaitable load(Context& c, Request& req) {
  const std::string& model = req.param("model");
  json body = json::object();
  if (!req.body.empty()) {
    body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) co_return v2_error(invalid_argument("the body must be a JSON object"));
  }
  json params = body.value("parameters", json::object());
  if (!params.is_object()) co_return v2_error(invalid_argument("'parameters' must be an object"));
  std::string ref = "latest";
  if (auto v = params.find("version"); v != params.end()) {
    ref = v->is_string() ? v->get<std::string>() : v->dump();
  }
  json config_json = params.value("config", json());
  if (config_json.is_string()) {
    // Triton passes the config as a JSON string.
    config_json = json::parse(config_json.get<std::string>(), nullptr, false);
    if (config_json.is_discarded()) co_return v2_error(invalid_argument("parameters.config is not valid JSON"));
  }
  auto version = c.registry.get_version(model, ref);
  if (!version.ok()) co_return v2_error(version.status());
  const auto& record = version->version;
  runtime::LoadSpec spec;
  spec.model = model;
  spec.version = record.version;
  spec.framework = record.framework;
  spec.artifact = c.registry.artifacts().blob_path(record.digest);
  spec.digest = record.digest;
  bool keep_others = params.value("keep_other_versions", false);
  if (c.models.is_engine_framework(record.framework)) {
    // Served by an engine of its own (GGUF: the LLM engine, through /v1); the engine validates its config.
    spec.engine_config = config_json.is_null() ? json::object() : config_json;
    auto engine = co_await c.models.load_engine(spec, keep_others);
    if (!engine.ok()) co_return v2_error(load_failure(model, record.version, engine.status()));
    co_return Response::json(200, {{"name", model}, {"version", std::to_string(record.version)}, {"state", "READY"},
                                   {"config", (*engine)->config_json()}});
  }
  if (record.framework == "gguf") {
    co_return v2_error(failed_precondition("this maasd was built without llama.cpp, so it cannot serve GGUF models"));
  }
  auto config = runtime::parse_deployment_config(config_json);
  if (!config.ok()) co_return v2_error(config.status());
  spec.config = *config;
  auto runner = co_await c.models.load(spec, keep_others);
  if (!runner.ok()) co_return v2_error(load_failure(model, record.version, runner.status()));
  co_return Response::json(200, {{"name", model},
                                 {"version", std::to_string(record.version)},
                                 {"state", "READY"},
                                 {"config", runtime::deployment_config_json(*config)}});
}

}  // namespace

void add_inference_routes(http::Router& router, registry::Registry& registry, runtime::ModelManager& models,
                          metrics::Registry& metrics, std::function<bool()> draining) {
  auto c = std::make_shared<Context>(Context{registry, models, metrics, InferenceMetrics(metrics), std::move(draining)});

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
    std::optional<int64_t> version;
    if (!req.body.empty()) {
      json body = json::parse(req.body, nullptr, false);
      if (body.is_discarded() || !body.is_object()) co_return v2_error(invalid_argument("the body must be a JSON object"));
      json params = body.value("parameters", json::object());
      if (auto v = params.find("version"); v != params.end()) {
        auto resolved = c->registry.resolve(req.param("model"), v->is_string() ? v->get<std::string>() : v->dump());
        if (!resolved.ok()) co_return v2_error(resolved.status());
        version = *resolved;
      }
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
}

}  // namespace maas::api
