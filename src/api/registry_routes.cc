#include "api/registry_routes.h"

#include "api/json_io.h"
#include "api/upload_body.h"
#include "common/names.h"

namespace maas::api {
namespace {
using http::Request;
using http::Response;
using nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;

Result<store::ModelQuery> model_query(const Request& req) {
  store::ModelQuery q;
  q.prefix = req.query_param("prefix").value_or("");
  if (q.prefix.size() > 63) return invalid_argument("prefix is longer than any model name can be");
  for (const auto& tag : req.query_params("tag")) {
    auto colon = tag.find(':');
    if (colon == std::string::npos) {
      q.tags.emplace_back(tag, std::nullopt);
    } else {
      q.tags.emplace_back(tag.substr(0, colon), tag.substr(colon + 1));
    }
    if (q.tags.back().first.empty()) return invalid_argument("tag filter '" + tag + "' has an empty key");
  }
  if (q.tags.size() > 16) return invalid_argument("at most 16 tag filters are allowed");
  MAAS_ASSIGN_OR_RETURN(q.limit, limit_param(req, 100));
  return q;
}

Result<store::VersionPatch> version_patch(const Request& req, bool* force) {
  MAAS_ASSIGN_OR_RETURN(
      json body, parse_json_object(req, {"description", "tags", "metrics", "lineage", "state", "reason", "force"}));
  store::VersionPatch patch;
  MAAS_ASSIGN_OR_RETURN(patch.description, optional_string(body, "description", 8192));
  MAAS_ASSIGN_OR_RETURN(patch.tags, optional_string_map(body, "tags"));
  MAAS_ASSIGN_OR_RETURN(patch.metrics, optional_number_map(body, "metrics"));
  MAAS_ASSIGN_OR_RETURN(patch.lineage, optional_lineage(body, "lineage"));
  MAAS_ASSIGN_OR_RETURN(auto state, optional_string(body, "state", 32));
  MAAS_ASSIGN_OR_RETURN(auto reason, optional_string(body, "reason", 1024));
  if (reason && !state) return invalid_argument("'reason' goes with 'state': it explains a lifecycle transition");
  if (state) patch.state = store::StateChange{*state, req.actor, reason.value_or("")};
  MAAS_ASSIGN_OR_RETURN(auto forced, optional_bool(body, "force"));
  if (forced) {
    if (*forced && !state) return invalid_argument("'force' goes with 'state': it overrides a validation policy");
    // Overriding a validation policy is an admin's decision (docs/TRAINING.md#validation-policies).
    if (*forced && req.principal && req.principal->role != "admin") {
      return permission_denied("only an admin may force a state change past a validation policy");
    }
    *force = *forced;
  }
  return patch;
}

Awaitable upload_version(registry::Registry& registry, BlockingPool& blocking, Request& req) {
  const std::string& name = req.param("name");
  std::optional<formats::Framework> framework;
  if (auto f = req.query_param("framework"); f && !f->empty()) {
    framework = formats::parse_framework(*f);
    if (!framework) {
      co_return Response::error(
          invalid_argument("unknown framework '" + *f + "'; use one of " + formats::framework_names()));
    }
  }
  if (auto ct = req.header("content-type"); ct && ct->rfind("multipart/", 0) == 0) {
    co_return Response::error(Status(StatusCode::kUnsupportedMediaType,
                                     "send the model file as the raw request body (application/octet-stream), "
                                     "not as multipart form data"));
  }
  API_RESPOND_IF_ERROR(registry.check_can_upload(name));
  API_ASSIGN_OR_RESPOND(auto upload, registry.begin_upload());
  Status received = co_await receive_upload(req, *upload);
  if (!received.ok()) co_return Response::error(received);
  auto* up = upload.get();
  // A named local, not a temporary: GCC 12 destroys lambda temporaries inside co_await expressions wrongly.
  // The new version is announced here too, off the event loop: a validation policy's listener reads the store.
  auto finish = [&registry, &name, up, framework, &req]() -> Result<registry::VersionView> {
    MAAS_ASSIGN_OR_RETURN(auto view, registry.finish_upload(name, *up, framework, req.actor));
    registry.announce_version(name, view.version.version, req.actor);
    return view;
  };
  auto view = co_await blocking.run(std::move(finish));
  if (!view.ok()) co_return Response::error(view.status());
  Response res = Response::json(201, version_json(*view));
  res.headers.emplace_back("Location", "/api/v1/models/" + name + "/versions/" + std::to_string(view->version.version));
  co_return res;
}

}  // namespace

void add_registry_routes(http::Router& router, registry::Registry& registry, BlockingPool& blocking) {
  registry::Registry& r = registry;

  router.add("POST", "/api/v1/models", [&r](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(json body, parse_json_object(req, {"name", "description", "tags"}));
    store::NewModel model;
    API_ASSIGN_OR_RESPOND(auto name, optional_string(body, "name", 256));
    if (!name) co_return Response::error(invalid_argument("field 'name' is required"));
    model.name = *name;
    API_ASSIGN_OR_RESPOND(auto description, optional_string(body, "description", 8192));
    model.description = description.value_or("");
    API_ASSIGN_OR_RESPOND(auto tags, optional_string_map(body, "tags"));
    model.tags = tags.value_or(store::StringMap{});
    API_ASSIGN_OR_RESPOND(auto view, r.create_model(model));
    Response res = Response::json(201, model_json(view));
    res.headers.emplace_back("Location", "/api/v1/models/" + view.model.name);
    co_return res;
  });

  router.add("GET", "/api/v1/models", [&r](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(auto query, model_query(req));
    API_ASSIGN_OR_RESPOND(auto page, r.list_models(query, req.query_param("page_token").value_or("")));
    json models = json::array();
    for (const auto& m : page.models) models.push_back(model_json(m));
    json body = {{"models", models}};
    body["next_page_token"] = page.next_page_token.empty() ? json(nullptr) : json(page.next_page_token);
    co_return Response::json(200, body);
  });

  router.add("GET", "/api/v1/models/{name}", [&r](Request& req) -> Awaitable {
    const std::string& name = req.param("name");
    // name@alias names a version, as in MLflow.
    if (auto at = name.find('@'); at != std::string::npos) {
      API_ASSIGN_OR_RESPOND(auto view, r.get_version(name.substr(0, at), name.substr(at + 1)));
      co_return Response::json(200, version_json(view));
    }
    API_ASSIGN_OR_RESPOND(auto view, r.get_model(name));
    co_return Response::json(200, model_json(view));
  });

  router.add("PATCH", "/api/v1/models/{name}", [&r](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(json body, parse_json_object(req, {"description", "tags"}));
    store::ModelPatch patch;
    API_ASSIGN_OR_RESPOND(patch.description, optional_string(body, "description", 8192));
    API_ASSIGN_OR_RESPOND(patch.tags, optional_string_map(body, "tags"));
    API_ASSIGN_OR_RESPOND(auto view, r.update_model(req.param("name"), patch));
    co_return Response::json(200, model_json(view));
  });

  router.add("DELETE", "/api/v1/models/{name}", [&r](Request& req) -> Awaitable {
    API_RESPOND_IF_ERROR(r.delete_model(req.param("name")));
    co_return Response::no_content();
  });

  router.add(
      "POST", "/api/v1/models/{name}/versions",
      [&r, &blocking](Request& req) -> Awaitable { return upload_version(r, blocking, req); }, http::BodyMode::kStreamed);

  router.add("GET", "/api/v1/models/{name}/versions", [&r](Request& req) -> Awaitable {
    store::VersionQuery query;
    query.state = req.query_param("state");
    API_ASSIGN_OR_RESPOND(query.limit, limit_param(req, 100));
    API_ASSIGN_OR_RESPOND(auto page, r.list_versions(req.param("name"), query, req.query_param("page_token").value_or("")));
    json versions = json::array();
    for (const auto& v : page.versions) versions.push_back(version_json(v));
    json body = {{"versions", versions}};
    body["next_page_token"] = page.next_page_token.empty() ? json(nullptr) : json(page.next_page_token);
    co_return Response::json(200, body);
  });

  router.add("GET", "/api/v1/models/{name}/versions/{ref}", [&r](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(auto view, r.get_version(req.param("name"), req.param("ref")));
    co_return Response::json(200, version_json(view));
  });

  router.add("PATCH", "/api/v1/models/{name}/versions/{ref}", [&r](Request& req) -> Awaitable {
    bool force = false;
    API_ASSIGN_OR_RESPOND(auto patch, version_patch(req, &force));
    API_ASSIGN_OR_RESPOND(auto view, r.update_version(req.param("name"), req.param("ref"), patch, force));
    co_return Response::json(200, version_json(view));
  });

  router.add("DELETE", "/api/v1/models/{name}/versions/{ref}", [&r](Request& req) -> Awaitable {
    API_RESPOND_IF_ERROR(r.delete_version(req.param("name"), req.param("ref")));
    co_return Response::no_content();
  });

  router.add("GET", "/api/v1/models/{name}/versions/{ref}/artifact", [&r, &blocking](Request& req) -> Awaitable {
    std::string digest;
    auto resolve = [&r, &req, &digest] { return r.artifact_path(req.param("name"), req.param("ref"), &digest); };
    auto path = co_await blocking.run(std::move(resolve));
    if (!path.ok()) co_return Response::error(path.status());
    Response res;
    res.content_type = "application/octet-stream";
    res.file = *path;
    res.headers.emplace_back("ETag", "\"sha256:" + digest + "\"");
    co_return res;
  });

  router.add("PUT", "/api/v1/models/{name}/aliases/{alias}", [&r](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(int64_t version, alias_target(req));
    API_ASSIGN_OR_RESPOND(int64_t v, r.set_alias(req.param("name"), req.param("alias"), version));
    co_return Response::json(200, {{"model", req.param("name")}, {"alias", req.param("alias")}, {"version", v}});
  });

  router.add("GET", "/api/v1/models/{name}/aliases/{alias}", [&r](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(int64_t v, r.get_alias(req.param("name"), req.param("alias")));
    co_return Response::json(200, {{"model", req.param("name")}, {"alias", req.param("alias")}, {"version", v}});
  });

  router.add("DELETE", "/api/v1/models/{name}/aliases/{alias}", [&r](Request& req) -> Awaitable {
    API_RESPOND_IF_ERROR(r.delete_alias(req.param("name"), req.param("alias")));
    co_return Response::no_content();
  });

  router.add("GET", "/api/v1/admin/store", [&r, &blocking](Request&) -> Awaitable {
    auto work = [&r] { return r.artifacts().stats(); };
    auto stats = co_await blocking.run(std::move(work));
    if (!stats.ok()) co_return Response::error(stats.status());
    co_return Response::json(200, {{"blobs", stats->blobs}, {"bytes", stats->bytes}, {"temp_files", stats->temp_files}});
  }, http::BodyMode::kBuffered, http::Access::kAdmin);

  router.add("POST", "/api/v1/admin/store/gc", [&r, &blocking](Request&) -> Awaitable {
    auto work = [&r] { return r.collect_garbage(); };
    auto report = co_await blocking.run(std::move(work));
    if (!report.ok()) co_return Response::error(report.status());
    co_return Response::json(200, {{"removed_blobs", report->removed_blobs}, {"removed_bytes", report->removed_bytes}});
  }, http::BodyMode::kBuffered, http::Access::kAdmin);

  router.add("POST", "/api/v1/admin/store/verify", [&r, &blocking](Request&) -> Awaitable {
    auto work = [&r] { return r.artifacts().verify_all(); };
    auto report = co_await blocking.run(std::move(work));
    if (!report.ok()) co_return Response::error(report.status());
    json corrupt = json::array();
    for (const auto& d : report->corrupt) corrupt.push_back("sha256:" + d);
    co_return Response::json(200, {{"checked", report->checked}, {"corrupt", corrupt}});
  }, http::BodyMode::kBuffered, http::Access::kAdmin);
}

}  // namespace maas::api
