// Datasets, their versions' records and aliases. These routes touch SQLite only (as the model registry's do on
// the event loop); deletes also collect garbage, which walks the artifact store, so they run on the pool.
#include "api/json_io.h"
#include "common/names.h"
#include "data/api/routes.h"
#include "data/datasets/dataset_json.h"

namespace maas::data::api {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

json page_token_json(const std::string& token) { return token.empty() ? json(nullptr) : json(token); }

json alias_json(const Request& req, int64_t version) {
  return {{"dataset", req.param("name")}, {"alias", req.param("alias")}, {"version", version}};
}

// Runs a delete on the pool, then the garbage collection that frees what only the deleted objects referenced.
Awaitable delete_then_collect(DataApi& api, std::function<Status()> remove) {
  auto work = [&api, remove = std::move(remove)]() -> Status {
    MAAS_RETURN_IF_ERROR(remove());
    api.collect_garbage();
    return {};
  };
  Status status = co_await api.pool().run(std::move(work));
  if (!status.ok()) co_return error_response(status);
  co_return Response::no_content();
}

}  // namespace

void add_dataset_routes(http::Router& router, DataApi& api) {
  DatasetRegistry& r = api.registry();

  router.add("POST", "/api/v1/datasets", [&r](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"name", "description", "tags"}));
    store::NewDataset dataset;
    API_ASSIGN_OR_RESPOND(auto name, maas::api::optional_string(body, "name", 256));
    if (!name) co_return Response::error(invalid_argument("field 'name' is required"));
    dataset.name = *name;
    API_ASSIGN_OR_RESPOND(auto description, maas::api::optional_string(body, "description", 8192));
    dataset.description = description.value_or("");
    API_ASSIGN_OR_RESPOND(auto tags, maas::api::optional_string_map(body, "tags"));
    dataset.tags = tags.value_or(store::StringMap{});
    API_ASSIGN_OR_RESPOND(auto view, r.create_dataset(dataset));
    Response res = Response::json(201, dataset_json(view));
    res.headers.emplace_back("Location", "/api/v1/datasets/" + view.dataset.name);
    co_return res;
  });

  router.add("GET", "/api/v1/datasets", [&r](Request& req) -> Awaitable {
    store::DatasetQuery query;
    query.prefix = req.query_param("prefix").value_or("");
    if (query.prefix.size() > 63) co_return Response::error(invalid_argument("prefix is longer than any dataset name can be"));
    API_ASSIGN_OR_RESPOND(query.limit, maas::api::limit_param(req, 100));
    API_ASSIGN_OR_RESPOND(auto page, r.list_datasets(query, req.query_param("page_token").value_or("")));
    json datasets = json::array();
    for (const auto& d : page.datasets) datasets.push_back(dataset_json(d));
    co_return Response::json(200, {{"datasets", datasets}, {"next_page_token", page_token_json(page.next_page_token)}});
  });

  router.add("GET", "/api/v1/datasets/{name}", [&r](Request& req) -> Awaitable {
    const std::string& name = req.param("name");
    // name@alias names a version, as for models.
    if (auto at = name.find('@'); at != std::string::npos) {
      API_ASSIGN_OR_RESPOND(auto view, r.get_version(name.substr(0, at), name.substr(at + 1)));
      co_return Response::json(200, dataset_version_json(view));
    }
    API_ASSIGN_OR_RESPOND(auto view, r.get_dataset(name));
    co_return Response::json(200, dataset_json(view));
  });

  router.add("PATCH", "/api/v1/datasets/{name}", [&r](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"description", "tags"}));
    store::DatasetPatch patch;
    API_ASSIGN_OR_RESPOND(patch.description, maas::api::optional_string(body, "description", 8192));
    API_ASSIGN_OR_RESPOND(patch.tags, maas::api::optional_string_map(body, "tags"));
    API_ASSIGN_OR_RESPOND(auto view, r.update_dataset(req.param("name"), patch));
    co_return Response::json(200, dataset_json(view));
  });

  router.add("DELETE", "/api/v1/datasets/{name}", [&api, &r](Request& req) -> Awaitable {
    std::string name = req.param("name");
    return delete_then_collect(api, [&r, name] { return r.delete_dataset(name); });
  });

  router.add("GET", "/api/v1/datasets/{name}/versions", [&r](Request& req) -> Awaitable {
    store::DatasetVersionQuery query;
    query.state = req.query_param("state");
    API_ASSIGN_OR_RESPOND(query.limit, maas::api::limit_param(req, 100));
    API_ASSIGN_OR_RESPOND(auto page,
                          r.list_versions(req.param("name"), query, req.query_param("page_token").value_or("")));
    json versions = json::array();
    for (const auto& v : page.versions) versions.push_back(dataset_version_json(v, /*with_profile=*/false));
    co_return Response::json(200, {{"versions", versions}, {"next_page_token", page_token_json(page.next_page_token)}});
  });

  router.add("GET", "/api/v1/datasets/{name}/versions/{ref}", [&r](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(auto view, r.get_version(req.param("name"), req.param("ref")));
    co_return Response::json(200, dataset_version_json(view));
  });

  router.add("PATCH", "/api/v1/datasets/{name}/versions/{ref}", [&r](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"description", "tags", "state"}));
    store::DatasetVersionPatch patch;
    API_ASSIGN_OR_RESPOND(patch.description, maas::api::optional_string(body, "description", 8192));
    API_ASSIGN_OR_RESPOND(patch.tags, maas::api::optional_string_map(body, "tags"));
    API_ASSIGN_OR_RESPOND(patch.state, maas::api::optional_string(body, "state", 32));
    API_ASSIGN_OR_RESPOND(auto view, r.update_version(req.param("name"), req.param("ref"), patch));
    co_return Response::json(200, dataset_version_json(view));
  });

  router.add("DELETE", "/api/v1/datasets/{name}/versions/{ref}", [&api, &r](Request& req) -> Awaitable {
    std::string name = req.param("name");
    std::string ref = req.param("ref");
    return delete_then_collect(api, [&r, name, ref] { return r.delete_version(name, ref); });
  });

  router.add("PUT", "/api/v1/datasets/{name}/aliases/{alias}", [&r](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(int64_t version, maas::api::alias_target(req));
    API_ASSIGN_OR_RESPOND(int64_t v, r.set_alias(req.param("name"), req.param("alias"), version));
    co_return Response::json(200, alias_json(req, v));
  });

  router.add("GET", "/api/v1/datasets/{name}/aliases/{alias}", [&r](Request& req) -> Awaitable {
    API_RESPOND_IF_ERROR(validate_alias(req.param("alias")));
    API_ASSIGN_OR_RESPOND(int64_t v, r.resolve(req.param("name"), req.param("alias")));
    co_return Response::json(200, alias_json(req, v));
  });

  router.add("DELETE", "/api/v1/datasets/{name}/aliases/{alias}", [&r](Request& req) -> Awaitable {
    API_RESPOND_IF_ERROR(r.delete_alias(req.param("name"), req.param("alias")));
    co_return Response::no_content();
  });
}

}  // namespace maas::data::api
