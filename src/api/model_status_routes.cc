#include "api/v2_routes.h"

#include "common/version.h"
#include "protocol/kserve_v2.h"

namespace maas::api {
namespace {
using http::Request;
using http::Response;
using nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;

// Each worker instance with its circuit breaker, so an operator sees which replica is ejected and why.
json instances_json(const runtime::ServedModel& r) {
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

// Triton's statistics extension, with maas's instances and restarts; the same shape for every kind of version.
json stats_json(const runtime::ServedModel& r) {
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

}  // namespace

void add_model_status_routes(http::Router& router, std::shared_ptr<V2Context> c) {
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
  router.add(
      "GET", "/v2",
      [c](Request&) -> Awaitable {
        nlohmann::json extensions = {"binary_tensor_data", "model_repository", "statistics"};
        if (c->shared_memory && c->shared_memory->enabled()) extensions.push_back("system_shared_memory");
        co_return Response::json(200, {{"name", "maas"}, {"version", kVersion}, {"extensions", std::move(extensions)}});
      },
      http::BodyMode::kBuffered, http::Access::kInvoke);

  auto metadata = [c](Request& req) -> Awaitable {
    auto served = loaded_model(*c, req);
    if (!served.ok()) co_return v2_error(served.status());
    std::vector<std::string> versions;
    for (const auto& m : c->models.list()) {
      if (m->model() == req.param("model")) versions.push_back(std::to_string(m->version()));
    }
    Response res;
    res.body = protocol::model_metadata_json(req.param("model"), versions, (*served)->backend().platform,
                                             (*served)->signature());
    co_return res;
  };
  router.add("GET", "/v2/models/{model}", metadata, http::BodyMode::kBuffered, http::Access::kInvoke);
  router.add("GET", "/v2/models/{model}/versions/{version}", metadata, http::BodyMode::kBuffered, http::Access::kInvoke);

  auto ready = [c](Request& req) -> Awaitable {
    auto served = loaded_model(*c, req);
    if (!served.ok()) co_return v2_error(served.status());
    bool is_ready = (*served)->state() == runtime::ModelState::kReady;
    json body = {{"name", req.param("model")}, {"ready", is_ready}};
    if (!is_ready) {
      body["state"] = runtime::model_state_name((*served)->state());
      body["reason"] = (*served)->reason();
    }
    co_return Response::json(is_ready ? 200 : 503, body);
  };
  router.add("GET", "/v2/models/{model}/ready", ready, http::BodyMode::kBuffered, http::Access::kInvoke);
  router.add("GET", "/v2/models/{model}/versions/{version}/ready", ready, http::BodyMode::kBuffered,
             http::Access::kInvoke);

  auto stats = [c](Request& req) -> Awaitable {
    json list = json::array();
    if (req.path_params.count("model") == 0) {
      for (const auto& m : c->models.list()) list.push_back(stats_json(*m));
    } else {
      auto served = loaded_model(*c, req);
      if (!served.ok()) co_return v2_error(served.status());
      list.push_back(stats_json(**served));
    }
    co_return Response::json(200, {{"model_stats", list}});
  };
  router.add("GET", "/v2/models/stats", stats);
  router.add("GET", "/v2/models/{model}/stats", stats);
  router.add("GET", "/v2/models/{model}/versions/{version}/stats", stats);
}

}  // namespace maas::api
