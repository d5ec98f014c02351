#include "api/model_loading.h"

namespace maas::api {
using nlohmann::json;

boost::asio::awaitable<Result<json>> deploy_version(V2Context& c, const std::string& model, const std::string& ref,
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

boost::asio::awaitable<Result<std::shared_ptr<runtime::ModelRunner>>> load_for_request(V2Context& c,
                                                                                       const http::Request& req) {
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

}  // namespace maas::api
