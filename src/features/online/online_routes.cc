// /api/v1/feature-views (docs/FEATURES.md#online-features): define a view (checked whole against the online
// limits: a 400 names the field), list, get, replace (its entities start over), delete; POST observations (rows in
// time order per entity; each row's features back); GET an entity's current features.
#include <boost/asio/awaitable.hpp>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it

#include "api/json_io.h"
#include "common/clock.h"
#include "common/names.h"
#include "features/online/online_api.h"

namespace maas::features::online {
namespace {

using Awaitable = boost::asio::awaitable<http::Response>;
using http::Request;
using http::Response;
using nlohmann::json;

std::string creator(const Request& req) { return req.principal ? req.principal->key_id : req.actor; }

json view_json(const FeatureViewRecord& record, const FeatureView& view) {
  json out = record.definition;
  out["name"] = record.name;
  out["description"] = record.description;
  out["values"] = view.values;
  out["feature_columns"] = view.feature_names();
  out["created_by"] = record.created_by;
  out["created_at"] = format_rfc3339_ms(record.created_at_ms);
  out["updated_at"] = format_rfc3339_ms(record.updated_at_ms);
  return out;
}

// A request's view: its fields less name and description, which are the record's.
Result<json> read_view_body(const Request& req, std::optional<std::string>& name, std::string& description) {
  MAAS_ASSIGN_OR_RETURN(
      json body, maas::api::parse_json_object(req, {"name", "description", "entity", "time", "values", "features"}));
  MAAS_ASSIGN_OR_RETURN(name, maas::api::optional_string(body, "name", 256));
  MAAS_ASSIGN_OR_RETURN(auto text, maas::api::optional_string(body, "description", 8192));
  description = text.value_or("");
  body.erase("name");
  body.erase("description");
  return body;
}

Awaitable create_view(OnlineFeatures& api, Request& req) {
  std::optional<std::string> name;
  std::string description;
  API_ASSIGN_OR_RESPOND(json definition, read_view_body(req, name, description));
  if (!name) co_return Response::error(invalid_argument("'name' is required"));
  API_RESPOND_IF_ERROR(validate_name(*name, "feature view"));
  API_ASSIGN_OR_RESPOND(FeatureView view, api.parse(*name, definition));
  API_ASSIGN_OR_RESPOND(auto record, api.views().create(*name, definition, description, creator(req)));
  json out = view_json(record, view);
  api.store().put_view(std::make_shared<const FeatureView>(std::move(view)));
  Response res = Response::json(201, out);
  res.headers.emplace_back("Location", "/api/v1/feature-views/" + record.name);
  co_return res;
}

Awaitable replace_view(OnlineFeatures& api, Request& req) {
  const std::string name = req.param("name");
  std::optional<std::string> body_name;
  std::string description;
  API_ASSIGN_OR_RESPOND(json definition, read_view_body(req, body_name, description));
  if (body_name && *body_name != name) {
    co_return Response::error(invalid_argument("'name' is '" + *body_name + "' but the path names '" + name + "'"));
  }
  API_ASSIGN_OR_RESPOND(FeatureView view, api.parse(name, definition));
  API_ASSIGN_OR_RESPOND(auto record, api.views().replace(name, definition, description));
  json out = view_json(record, view);
  api.store().put_view(std::make_shared<const FeatureView>(std::move(view)));
  co_return Response::json(200, out);
}

Awaitable observe(OnlineFeatures& api, Request& req) {
  auto view = api.store().view(req.param("name"));
  if (!view) co_return Response::error(not_found("feature view '" + req.param("name") + "' does not exist"));
  API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"rows"}));
  const json* rows = maas::api::find_field(body, "rows");
  if (rows == nullptr) co_return Response::error(invalid_argument("'rows' is required"));
  API_ASSIGN_OR_RESPOND(auto observations, read_observations(*view, *rows));
  API_ASSIGN_OR_RESPOND(auto features, api.store().observe(view->name, observations));
  json out = json::array();
  for (size_t i = 0; i < features.size(); ++i) {
    out.push_back({{"entity", observations[i].entity},
                   {"time", observations[i].time_us},
                   {"features", features_json(*view, features[i])}});
  }
  co_return Response::json(200, {{"rows", out}});
}

Awaitable get_entity(OnlineFeatures& api, Request& req) {
  auto view = api.store().view(req.param("name"));
  if (!view) co_return Response::error(not_found("feature view '" + req.param("name") + "' does not exist"));
  API_ASSIGN_OR_RESPOND(auto snapshot, api.store().entity(view->name, req.param("key")));
  co_return Response::json(200, {{"entity", req.param("key")},
                                 {"time", snapshot.last_time_us},
                                 {"rows", snapshot.rows},
                                 {"features", features_json(*view, snapshot.features)}});
}

// PUT {"view"}: attaches; the version must exist (a reference resolves to its number).
Awaitable attach_view(OnlineFeatures& api, Request& req) {
  API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"view"}));
  API_ASSIGN_OR_RESPOND(auto view, maas::api::optional_string(body, "view", 256));
  if (!view) co_return Response::error(invalid_argument("'view' is required: the feature view to attach"));
  const std::string model = req.param("name");
  API_ASSIGN_OR_RESPOND(int64_t version, api.resolve_version()(model, req.param("ref")));
  API_RESPOND_IF_ERROR(api.inference().attach(model, version, *view));
  co_return Response::json(200, {{"model", model}, {"version", version}, {"view", *view}});
}

}  // namespace

void OnlineFeatures::add_routes(http::Router& router) {
  router.add("PUT", "/api/v1/models/{name}/versions/{ref}/feature-view",
             [this](Request& req) -> Awaitable { return attach_view(*this, req); });
  router.add("GET", "/api/v1/models/{name}/versions/{ref}/feature-view", [this](Request& req) -> Awaitable {
    const std::string model = req.param("name");
    API_ASSIGN_OR_RESPOND(int64_t version, resolve_version()(model, req.param("ref")));
    auto view = inference().attached(model, version);
    if (!view) {
      co_return Response::error(
          not_found("model '" + model + "' version " + std::to_string(version) + " has no feature view attached"));
    }
    co_return Response::json(200, {{"model", model}, {"version", version}, {"view", *view}});
  });
  router.add("DELETE", "/api/v1/models/{name}/versions/{ref}/feature-view", [this](Request& req) -> Awaitable {
    const std::string model = req.param("name");
    API_ASSIGN_OR_RESPOND(int64_t version, resolve_version()(model, req.param("ref")));
    API_RESPOND_IF_ERROR(inference().detach(model, version));
    co_return Response::no_content();
  });
  router.add("POST", "/api/v1/feature-views", [this](Request& req) -> Awaitable { return create_view(*this, req); });
  router.add("GET", "/api/v1/feature-views", [this](Request&) -> Awaitable {
    API_ASSIGN_OR_RESPOND(auto records, views().list());
    json out = json::array();
    for (const auto& record : records) {
      if (auto view = store().view(record.name)) out.push_back(view_json(record, *view));
    }
    co_return Response::json(200, {{"feature_views", out}});
  });
  router.add("GET", "/api/v1/feature-views/{name}", [this](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(auto record, views().get(req.param("name")));
    auto view = store().view(record.name);
    if (!view) co_return Response::error(not_found("feature view '" + record.name + "' does not exist"));
    co_return Response::json(200, view_json(record, *view));
  });
  router.add("PUT", "/api/v1/feature-views/{name}",
             [this](Request& req) -> Awaitable { return replace_view(*this, req); });
  router.add("DELETE", "/api/v1/feature-views/{name}", [this](Request& req) -> Awaitable {
    API_RESPOND_IF_ERROR(views().remove(req.param("name")));
    store().remove_view(req.param("name"));
    co_return Response::no_content();
  });
  router.add("POST", "/api/v1/feature-views/{name}/observations",
             [this](Request& req) -> Awaitable { return observe(*this, req); });
  router.add("GET", "/api/v1/feature-views/{name}/entities/{key}",
             [this](Request& req) -> Awaitable { return get_entity(*this, req); });
}

}  // namespace maas::features::online
