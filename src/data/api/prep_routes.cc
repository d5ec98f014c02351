// Data preparation over recorded versions: POST /api/v1/datasets/{name}/versions/{ref}/clean runs a cleaning recipe
// into a new version, .../split adds a train/validation/test column in a new version. The request is read and checked
// against the input's recorded schema on the event loop (a 400 names the step and the field); the work runs on the
// pool, holding one of datasets.max_concurrent_imports' slots.
#include <cstdlib>

#include "api/json_io.h"
#include "data/api/routes.h"
#include "data/datasets/dataset_json.h"
#include "data/engine/sql_text.h"
#include "data/prep/clean.h"
#include "data/prep/drift.h"
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

// One side of a drift check: "<name>:<ref>[:<part>]" (a version, or one part of a split version).
struct DriftInput {
  DatasetVersionView version;
  std::string part;
};

Result<DriftInput> drift_input(DataApi& api, const std::string& name, const std::string& ref, const std::string& part,
                               const std::string& split_column) {
  DriftInput out;
  MAAS_ASSIGN_OR_RETURN(out.version, api.registry().get_version(name, ref));
  out.part = part;
  if (part.empty()) return out;
  if (part != "train" && part != "validation" && part != "test") {
    return invalid_argument("a part is train, validation or test, got '" + part + "'");
  }
  for (const auto& f : schema_from_json(out.version.version.schema)) {
    if (f.name == split_column) return out;
  }
  return invalid_argument("version " + std::to_string(out.version.version.version) + " of dataset '" + name +
                          "' has no column '" + split_column + "' to take the part '" + part + "' from");
}

Result<DriftInput> drift_against(DataApi& api, const std::string& text, const std::string& split_column) {
  std::vector<std::string> pieces;
  for (size_t start = 0;;) {
    size_t colon = text.find(':', start);
    pieces.push_back(text.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (pieces.size() < 2 || pieces.size() > 3 || pieces[0].empty() || pieces[1].empty()) {
    return invalid_argument("'against' is <dataset>:<version>[:<part>], e.g. orders:3 or orders:3:test");
  }
  return drift_input(api, pieces[0], pieces[1], pieces.size() == 3 ? pieces[2] : "", split_column);
}

Awaitable drift(DataApi& api, Request& req) {
  const std::string split_column = req.query_param("split_column").value_or("split");
  API_ASSIGN_OR_RESPOND(DriftInput a, drift_input(api, req.param("name"), req.param("ref"),
                                                  req.query_param("part").value_or(""), split_column));
  auto against = req.query_param("against");
  if (!against) co_return Response::error(invalid_argument("'against' (<dataset>:<version>[:<part>]) is required"));
  API_ASSIGN_OR_RESPOND(DriftInput b, drift_against(api, *against, split_column));
  prep::DriftOptions options;
  if (auto columns = req.query_param("columns"); columns && !columns->empty()) {
    for (size_t start = 0;;) {
      size_t comma = columns->find(',', start);
      options.columns.push_back(columns->substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (auto bins = req.query_param("bins")) {
    char* end = nullptr;
    long n = std::strtol(bins->c_str(), &end, 10);
    if (bins->empty() || *end != '\0' || n < 2 || n > 100) {
      co_return Response::error(invalid_argument("'bins' must be an integer from 2 to 100"));
    }
    options.bins = static_cast<int>(n);
  }
  auto slot = api.imports().try_acquire();
  if (!slot.ok()) co_return error_response(slot.status());
  auto work = [&api, &a, &b, &options, &split_column]() -> Result<json> {
    json answer;
    auto side = [&](const DriftInput& input, const std::filesystem::path& path) {
      prep::DriftSide out{parquet_relation(path.string()), schema_from_json(input.version.version.schema)};
      if (!input.part.empty()) {
        out.relation = "(SELECT * EXCLUDE (" + engine::quote_identifier(split_column) + ") FROM " + out.relation +
                       " WHERE " + engine::quote_identifier(split_column) + " = " + engine::quote_literal(input.part) +
                       ")";
        std::erase_if(out.schema, [&](const Field& f) { return f.name == split_column; });
      }
      return out;
    };
    MAAS_RETURN_IF_ERROR(api.registry().read_versions(
        {{a.version.version.dataset, a.version.version.version},
         {b.version.version.dataset, b.version.version.version}},
        [&](engine::Connection& c, const std::vector<std::filesystem::path>& paths) -> Status {
          MAAS_ASSIGN_OR_RETURN(answer, prep::drift(c, side(a, paths[0]), side(b, paths[1]), options));
          return {};
        }));
    auto ref = [](const DriftInput& input) {
      json j = {{"dataset", input.version.version.dataset}, {"version", input.version.version.version}};
      if (!input.part.empty()) j["part"] = input.part;
      return j;
    };
    answer["a"] = ref(a);
    answer["b"] = ref(b);
    answer["bins"] = options.bins;
    return answer;
  };
  auto answer = co_await api.pool().run(std::move(work));
  if (!answer.ok()) co_return error_response(answer.status());
  co_return Response::json(200, *answer);
}

}  // namespace

void add_prep_routes(http::Router& router, DataApi& api) {
  router.add("POST", "/api/v1/datasets/{name}/versions/{ref}/clean",
             [&api](Request& req) -> Awaitable { return clean(api, req); });
  // Reads only: a reader's role may call it.
  router.add(
      "GET", "/api/v1/datasets/{name}/versions/{ref}/drift",
      [&api](Request& req) -> Awaitable { return drift(api, req); }, http::BodyMode::kBuffered, http::Access::kRead);
  router.add("POST", "/api/v1/datasets/{name}/versions/{ref}/split",
             [&api](Request& req) -> Awaitable { return split(api, req); });
}

}  // namespace maas::data::api
