#include "api/v2_context.h"

#include <algorithm>
#include <cmath>

#include "common/names.h"

namespace maas::api {
using http::Request;
using http::Response;

InferenceMetrics::InferenceMetrics(metrics::Registry& r)
    : requests(r.counter("maas_inference_requests_total", "Inference requests by service, model, version and HTTP code",
                         {"service", "model", "version", "code"})),
      duration(r.histogram("maas_inference_request_duration_seconds", "Inference request latency at the gateway",
                           {"service", "model", "version"}, metrics::latency_buckets())) {}

Response v2_error(const Status& status) {
  Response r = Response::json(http_status_for(status.code()), {{"error", status.message()}});
  if (status.code() == StatusCode::kResourceExhausted) {
    // A full queue is an overload, not a client's quota: 503 with Retry-After, as Triton answers.
    r.status = 503;
    r.headers.emplace_back("Retry-After", "1");
  } else if (status.code() == StatusCode::kUnavailable) {
    r.headers.emplace_back("Retry-After", "1");
  }
  return r;
}

void add_limit_headers(Response& r, const gateway::LimitDecision& d) {
  r.headers.emplace_back("X-RateLimit-Limit", std::to_string(static_cast<int64_t>(d.limit)));
  r.headers.emplace_back("X-RateLimit-Remaining", std::to_string(static_cast<int64_t>(d.remaining)));
  r.headers.emplace_back("X-RateLimit-Reset", std::to_string(static_cast<int64_t>(std::ceil(d.reset_seconds))));
}

// Not v2_error's overload 503, which a full queue gets: a client over its own limits is told so.
Response refusal(const Status& status, const std::optional<gateway::LimitDecision>& d) {
  Response r = Response::json(429, {{"error", status.message()}});
  int64_t retry = 1;
  if (d) {
    add_limit_headers(r, *d);
    retry = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(d->retry_after_seconds)));
  }
  r.headers.emplace_back("Retry-After", std::to_string(retry));
  return r;
}

namespace {
// Resolves {version} (a number or an alias) to a number.
Result<std::optional<int64_t>> version_param(V2Context& c, const Request& req) {
  auto it = req.path_params.find("version");
  if (it == req.path_params.end()) return std::optional<int64_t>();
  MAAS_ASSIGN_OR_RETURN(int64_t v, c.registry.resolve(req.param("model"), it->second));
  return std::optional<int64_t>(v);
}
}  // namespace

Result<std::shared_ptr<runtime::ServedModel>> loaded_model(V2Context& c, const Request& req) {
  MAAS_RETURN_IF_ERROR(validate_name(req.param("model"), "model"));
  if (req.principal && !req.principal->may_invoke(req.param("model"))) {
    return permission_denied("the key " + req.principal->key_id + " is not granted '" + req.param("model") + "'");
  }
  MAAS_ASSIGN_OR_RETURN(auto version, version_param(c, req));
  auto served = c.models.find(req.param("model"), version);
  if (!served) {
    return not_found("model '" + req.param("model") + "'" + (version ? " version " + std::to_string(*version) : "") +
                     " is not loaded; load it with POST /v2/repository/models/" + req.param("model") + "/load");
  }
  return served;
}

Result<std::shared_ptr<runtime::ModelRunner>> tensor_runner(const std::shared_ptr<runtime::ServedModel>& served) {
  if (auto runner = served->as_tensor()) return runner;
  return invalid_argument("model '" + served->model() + "' version " + std::to_string(served->version()) + " (" +
                          served->framework() + ") is a generative model and does not support infer; use POST " +
                          "/v1/chat/completions, /v1/completions or /v1/embeddings");
}

runtime::LoadSpec load_spec(registry::Registry& registry, const std::string& model,
                            const store::VersionRecord& record) {
  runtime::LoadSpec spec;
  spec.model = model;
  spec.version = record.version;
  spec.framework = record.framework;
  spec.artifact = registry.artifacts().blob_path(record.digest);
  spec.digest = record.digest;
  return spec;
}

Status load_failure(const std::string& model, int64_t version, const Status& s) {
  return Status(s.code() == StatusCode::kFailedPrecondition ? s.code() : StatusCode::kInvalidArgument,
                "failed to load model '" + model + "' version " + std::to_string(version) + ": " + s.message());
}

}  // namespace maas::api
