// Data preparation over recorded versions: POST /api/v1/datasets/{name}/versions/{ref}/clean runs a cleaning recipe
// into a new version, .../split adds a train/validation/test column in a new version. The request is read and checked
// against the input's recorded schema on the event loop (a 400 names the step and the field); the work runs on the
// pool, holding one of datasets.max_concurrent_imports' slots.
#include "api/json_io.h"
#include "data/api/routes.h"
#include "data/datasets/dataset_json.h"
#include "data/prep/clean.h"
#include "data/prep/split.h"

namespace maas::data::api {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

// What every preparation route records on its new version besides the data.
struct NewVersionFields {
  std::string dataset;  // the dataset the new version joins
  std::string description;
  store::StringMap tags;
};

Result<NewVersionFields> new_version_fields(const json& body, const std::string& input_dataset) {
  NewVersionFields out;
  MAAS_ASSIGN_OR_RETURN(auto dataset, maas::api::optional_string(body, "dataset", 256));
  out.dataset = dataset.value_or(input_dataset);
  MAAS_ASSIGN_OR_RETURN(auto description, maas::api::optional_string(body, "description", 8192));
  out.description = description.value_or("");
  MAAS_ASSIGN_OR_RETURN(auto tags, maas::api::optional_string_map(body, "tags"));
  out.tags = tags.value_or(store::StringMap{});
  return out;
}

Response created(const DatasetVersionView& view) {
  Response res = Response::json(201, dataset_version_json(view));
  res.headers.emplace_back(
      "Location", "/api/v1/datasets/" + view.version.dataset + "/versions/" + std::to_string(view.version.version));
  return res;
}

// Runs `work` over `input` on the pool into a new version of fields.dataset, holding an import slot.
Awaitable derive(DataApi& api, Request& req, const DatasetVersionView& input, const NewVersionFields& fields,
                 std::string source, DeriveWork work) {
  API_RESPOND_IF_ERROR(api.registry().get_dataset(fields.dataset).status());
  auto slot = api.imports().try_acquire();
  if (!slot.ok()) co_return error_response(slot.status());
  DeriveRequest request;
  request.inputs = {{input.version.dataset, input.version.version}};
  request.dataset = fields.dataset;
  request.lineage.source = source + ":" + input.version.dataset + "@" + std::to_string(input.version.version);
  request.description = fields.description;
  request.tags = fields.tags;
  request.created_by = req.actor;
  auto run = [&api, &request, &work]() { return api.registry().derive_version(request, work); };
  auto view = co_await api.pool().run(std::move(run));
  if (!view.ok()) co_return error_response(view.status());
  co_return created(*view);
}

Awaitable clean(DataApi& api, Request& req) {
  const std::string name = req.param("name");
  API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"steps", "dataset", "description", "tags"}));
  API_ASSIGN_OR_RESPOND(NewVersionFields fields, new_version_fields(body, name));
  json steps = body.contains("steps") ? body["steps"] : json(nullptr);
  API_ASSIGN_OR_RESPOND(prep::Recipe recipe, prep::recipe_from_json(json{{"steps", steps}}));
  API_ASSIGN_OR_RESPOND(DatasetVersionView input, api.registry().get_version(name, req.param("ref")));
  API_RESPOND_IF_ERROR(prep::check_recipe(recipe, schema_from_json(input.version.schema)).status());
  DeriveWork work = [recipe](engine::Connection& c, const std::vector<std::filesystem::path>& inputs,
                             const ImportTarget& target) -> Result<DerivedTable> {
    MAAS_ASSIGN_OR_RETURN(prep::CleanResult cleaned, prep::clean_snapshot(c, inputs[0], recipe, target));
    cleaned.table.details = {{"clean", {{"recipe", prep::recipe_to_json(recipe)}, {"steps", cleaned.steps}}}};
    return cleaned.table;
  };
  // A named awaitable: GCC 12 mishandles temporaries inside co_await expressions.
  auto derived = derive(api, req, input, fields, "clean", std::move(work));
  co_return co_await std::move(derived);
}

Awaitable split(DataApi& api, Request& req) {
  const std::string name = req.param("name");
  API_ASSIGN_OR_RESPOND(
      json body, maas::api::parse_json_object(
                     req, {"method", "fractions", "seed", "column", "split_column", "dataset", "description", "tags"}));
  API_ASSIGN_OR_RESPOND(NewVersionFields fields, new_version_fields(body, name));
  for (const char* field : {"dataset", "description", "tags"}) body.erase(field);
  API_ASSIGN_OR_RESPOND(prep::SplitSpec spec, prep::split_spec_from_json(body));
  API_ASSIGN_OR_RESPOND(DatasetVersionView input, api.registry().get_version(name, req.param("ref")));
  API_RESPOND_IF_ERROR(prep::check_split(spec, schema_from_json(input.version.schema)));
  DeriveWork work = [spec](engine::Connection& c, const std::vector<std::filesystem::path>& inputs,
                           const ImportTarget& target) -> Result<DerivedTable> {
    MAAS_ASSIGN_OR_RETURN(prep::SplitResult split, prep::split_snapshot(c, inputs[0], spec, target));
    split.table.details = {{"split", prep::split_spec_to_json(spec)}};
    split.table.details["split"]["counts"] = split.counts;
    return split.table;
  };
  // A named awaitable: GCC 12 mishandles temporaries inside co_await expressions.
  auto derived = derive(api, req, input, fields, "split", std::move(work));
  co_return co_await std::move(derived);
}

}  // namespace

void add_prep_routes(http::Router& router, DataApi& api) {
  router.add("POST", "/api/v1/datasets/{name}/versions/{ref}/clean",
             [&api](Request& req) -> Awaitable { return clean(api, req); });
  router.add("POST", "/api/v1/datasets/{name}/versions/{ref}/split",
             [&api](Request& req) -> Awaitable { return split(api, req); });
}

}  // namespace maas::data::api
