#include "api/model_loading.h"

namespace maas::api {
using nlohmann::json;

boost::asio::awaitable<Result<json>> deploy_version(V2Context& c, const std::string& model, const std::string& ref,
                                                    const json& config_json, bool keep_others) {
  auto version = c.registry.get_version(model, ref);
  if (!version.ok()) co_return version.status();
  const auto& record = version->version;
  runtime::LoadSpec spec = load_spec(c.registry, model, record);
  spec.config = config_json.is_null() ? json::object() : config_json;
  // The framework's kind reads the config (a tensor deployment, a generative engine's): its error names the field.
  if (Status s = c.models.check_config(record.framework, spec.config); !s.ok()) co_return s;
  auto served = co_await c.models.load(spec, keep_others);
  if (!served.ok()) co_return load_failure(model, record.version, served.status());
  co_return json{{"name", model},
                 {"version", std::to_string(record.version)},
                 {"state", "READY"},
                 {"config", (*served)->config_json()}};
}

boost::asio::awaitable<Result<std::shared_ptr<runtime::ServedModel>>> load_for_request(V2Context& c,
                                                                                       const http::Request& req) {
  const std::string& model = req.param("model");
  auto ref = req.path_params.find("version");
  auto found = c.registry.get_version(model, ref == req.path_params.end() ? "latest" : ref->second);
  if (!found.ok()) co_return found.status();
  const auto& record = found->version;
  const runtime::BackendInfo* backend = c.models.backends().find(record.framework);
  if (backend == nullptr || backend->kind == runtime::ServingKind::kGenerative) {
    co_return not_found("model '" + model + "' version " + std::to_string(record.version) +
                        " is not loaded, and only tensor versions and graphs are loaded on demand; load it with POST "
                        "/v2/repository/models/" +
                        model + "/load");
  }
  runtime::LoadSpec spec = load_spec(c.registry, model, record);
  auto served = co_await c.models.load_on_demand(spec, req.deadline);
  if (!served.ok()) {
    if (served.status().code() == StatusCode::kDeadlineExceeded) co_return served.status();
    co_return load_failure(model, record.version, served.status());
  }
  co_return *served;
}

}  // namespace maas::api
