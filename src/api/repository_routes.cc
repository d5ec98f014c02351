#include "api/v2_routes.h"

#include <algorithm>

#include "api/model_loading.h"
#include "api/repository_request.h"

namespace maas::api {
namespace {
using http::Request;
using http::Response;
using nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;

Awaitable load(V2Context& c, Request& req) {
  const std::string& model = req.param("model");
  auto request = parse_repository_request(req.body);
  if (!request.ok()) co_return v2_error(request.status());
  const std::string ref = request->version.value_or("latest");
  auto loaded = co_await deploy_version(c, model, ref, request->config, request->keep_other_versions);
  if (!loaded.ok()) co_return v2_error(loaded.status());
  co_return Response::json(200, *loaded);
}

}  // namespace

void add_repository_routes(http::Router& router, std::shared_ptr<V2Context> c) {
  router.add("POST", "/v2/repository/index", [c](Request&) -> Awaitable {
    json index = json::array();
    auto loaded = c->models.list();
    for (const auto& m : loaded) {
      json entry = {{"name", m->model()}, {"version", std::to_string(m->version())},
                    {"state", runtime::model_state_name(m->state())}};
      if (!m->reason().empty()) entry["reason"] = m->reason();
      // Loaded by a request (runtime.load_on_demand): the memory budget may unload it again.
      if (c->models.evictable(m->model(), m->version())) entry["loaded_on_demand"] = true;
      index.push_back(entry);
    }
    std::string token;
    do {
      store::ModelQuery q;
      q.limit = 1000;
      auto page = c->registry.list_models(q, token);
      if (!page.ok()) co_return v2_error(page.status());
      for (const auto& m : page->models) {
        bool is_loaded = std::any_of(loaded.begin(), loaded.end(), [&](const auto& l) { return l->model() == m.model.name; });
        if (!is_loaded && m.model.latest_version > 0) {
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

}

}  // namespace maas::api
