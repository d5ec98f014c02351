// /api/v1/models/{model}/versions/{version}/pipeline (docs/FEATURES.md, "Serving a model with its pipeline"): the
// pipeline version a model version is served with. Attach and detach only while the version is not loaded: its
// workers read the pipeline when they start, so the change takes effect at its next load.
#include <boost/asio/awaitable.hpp>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it

#include "api/json_io.h"
#include "features/api/features_api.h"

namespace maas::features {
namespace {

using Awaitable = boost::asio::awaitable<http::Response>;
using http::Request;
using http::Response;
using nlohmann::json;

// The spec travels to the worker on its command line, where one argument may hold 128 KiB.
constexpr size_t kMaxServedSpecBytes = 100'000;

// Whether the model version's one input can take `width` feature columns, as far as its format records it:
// exactly one input, FP32 or FP64 when the datatype is known, rank 2 of that width when the shape is.
Status check_model_input(const json& signature, size_t width) {
  const json* inputs = maas::api::find_field(signature, "inputs");
  if (inputs == nullptr || !inputs->is_array() || inputs->size() != 1) {
    return invalid_argument("a pipeline feeds a model's one input (the feature matrix); this model has " +
                            std::to_string(inputs && inputs->is_array() ? inputs->size() : 0) + " inputs");
  }
  const json& input = inputs->front();
  const std::string name = input.contains("name") && input["name"].is_string() ? input["name"].get<std::string>() : "";
  const json* datatype = maas::api::find_field(input, "datatype");
  if (datatype && datatype->is_string() && !datatype->get_ref<const std::string&>().empty() && *datatype != "FP32" &&
      *datatype != "FP64") {
    return invalid_argument("the model's input '" + name + "' is " + datatype->get<std::string>() +
                            "; a pipeline's features go to an FP32 or FP64 input");
  }
  const json* shape = maas::api::find_field(input, "shape");
  if (shape && shape->is_array() && !shape->empty()) {
    const bool matrix = shape->size() == 2 && (*shape)[1].is_number_integer();
    const int64_t columns = matrix ? (*shape)[1].get<int64_t>() : 0;
    if (!matrix || (columns != -1 && columns != static_cast<int64_t>(width))) {
      return invalid_argument("the pipeline outputs " + std::to_string(width) + " columns but the model's input '" +
                              name + "' has shape " + shape->dump());
    }
  }
  return {};
}

// The version's lineage with `pipeline` recorded under "pipeline" (null: removed).
Status record_in_lineage(registry::Registry& registry, const std::string& model, const store::VersionRecord& version,
                         const json& pipeline) {
  store::VersionPatch patch;
  patch.lineage = version.lineage.is_object() ? version.lineage : json::object();
  if (pipeline.is_null()) {
    patch.lineage->erase("pipeline");
  } else {
    (*patch.lineage)["pipeline"] = pipeline;
  }
  return registry.update_version(model, std::to_string(version.version), patch).status();
}

Awaitable attach(FeaturesApi& api, Request& req) {
  API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"name", "version"}));
  API_ASSIGN_OR_RESPOND(auto name, maas::api::optional_string(body, "name", 256));
  if (!name) co_return Response::error(invalid_argument("'name' (the pipeline) is required"));
  std::string ref = "latest";
  if (const json* v = maas::api::find_field(body, "version")) {
    if (v->is_number_integer()) {
      ref = std::to_string(v->get<int64_t>());
    } else if (v->is_string()) {
      ref = v->get<std::string>();
    } else {
      co_return Response::error(invalid_argument("'version' must be a number, \"latest\" or an alias"));
    }
  }
  const std::string& model = req.param("model");
  API_ASSIGN_OR_RESPOND(auto version, api.registry().get_version(model, req.param("version")));
  API_RESPOND_IF_ERROR(api.registry().check_not_deployed(model, version.version.version));
  API_ASSIGN_OR_RESPOND(auto pipeline, api.store().resolve(*name, ref));
  if (pipeline.spec.dump().size() > kMaxServedSpecBytes) {
    co_return Response::error(invalid_argument("pipeline '" + *name + "' has a spec over " +
                                               std::to_string(kMaxServedSpecBytes) + " bytes; it cannot be served"));
  }
  API_RESPOND_IF_ERROR(check_model_input(version.version.signature, pipeline.output_columns.size()));
  API_RESPOND_IF_ERROR(api.store().attach(model, version.version.version, pipeline.name, pipeline.version,
                                          req.principal ? req.principal->key_id : req.actor));
  API_RESPOND_IF_ERROR(record_in_lineage(api.registry(), model, version.version,
                                         {{"name", pipeline.name}, {"version", pipeline.version}}));
  API_ASSIGN_OR_RESPOND(auto attached, api.store().attachment(model, version.version.version));
  co_return Response::json(200, attachment_json(attached.value_or(Attachment{})));
}

Awaitable detach(FeaturesApi& api, Request& req) {
  const std::string& model = req.param("model");
  API_ASSIGN_OR_RESPOND(auto version, api.registry().get_version(model, req.param("version")));
  API_RESPOND_IF_ERROR(api.registry().check_not_deployed(model, version.version.version));
  API_RESPOND_IF_ERROR(api.store().detach(model, version.version.version));
  API_RESPOND_IF_ERROR(record_in_lineage(api.registry(), model, version.version, nullptr));
  co_return Response::no_content();
}

Awaitable show(FeaturesApi& api, Request& req) {
  const std::string& model = req.param("model");
  API_ASSIGN_OR_RESPOND(auto version, api.registry().get_version(model, req.param("version")));
  API_ASSIGN_OR_RESPOND(auto attached, api.store().attachment(model, version.version.version));
  if (!attached) {
    co_return Response::error(not_found("model '" + model + "' version " + std::to_string(version.version.version) +
                                        " has no pipeline attached"));
  }
  co_return Response::json(200, attachment_json(*attached));
}

}  // namespace

void add_model_pipeline_routes(http::Router& router, FeaturesApi& api) {
  const char* path = "/api/v1/models/{model}/versions/{version}/pipeline";
  router.add("PUT", path, [&api](Request& req) -> Awaitable { return attach(api, req); });
  router.add("GET", path, [&api](Request& req) -> Awaitable { return show(api, req); });
  router.add("DELETE", path, [&api](Request& req) -> Awaitable { return detach(api, req); });
}

Result<std::vector<std::string>> FeaturesApi::worker_args(const std::string& model, int64_t version) {
  MAAS_ASSIGN_OR_RETURN(auto attached, store_->attachment(model, version));
  if (!attached) return std::vector<std::string>{};
  MAAS_ASSIGN_OR_RETURN(auto pipeline, store_->get_version(attached->pipeline, attached->pipeline_version));
  return std::vector<std::string>{"--pipeline-spec",   pipeline.spec.dump(),
                                  "--pipeline-state",  data_.artifacts().blob_path(pipeline.state_digest).string(),
                                  "--pipeline-digest", pipeline.state_digest};
}

}  // namespace maas::features
