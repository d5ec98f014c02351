#include "compression/xgboost_kind.h"

#include "compression/source_version.h"
#include "compression/xgboost_job.h"
#include "jobs/params.h"
#include "training/evaluation.h"
#include "training/xgboost/evaluate_kind.h"

namespace maas::compression {
namespace {

using nlohmann::json;

Result<json> validate(data::api::DataApi& data, registry::Registry& models, const json& params) {
  MAAS_RETURN_IF_ERROR(jobs::check_param_keys(
      params, kCompressXgboostKind,
      {"model", "model_version", "dataset", "version", "split_column", "split_value", "metric", "tolerance"}));
  MAAS_ASSIGN_OR_RETURN(json source,
                        resolve_source(models, params, kCompressXgboostKind, formats::Framework::kXgboost));
  json holdout = params;
  holdout.erase("metric");
  holdout.erase("tolerance");
  holdout["model_version"] = source["model_version"];  // the version resolved once: its features and its file agree
  if (!holdout.contains("dataset")) return invalid_argument("params.dataset is required: the holdout dataset");
  MAAS_ASSIGN_OR_RETURN(json out, training::validate_evaluation_params(data, models, holdout));
  out.update(source);
  if (auto metric = params.find("metric"); metric != params.end()) {
    if (!metric->is_string() || !training::metric_names().contains(metric->get<std::string>())) {
      std::string names;
      for (const std::string& name : training::metric_names()) names += (names.empty() ? "" : ", ") + name;
      return invalid_argument("params.metric must be one of " + names);
    }
    out["metric"] = *metric;
  }
  out["tolerance"] = 0.0;
  if (auto tolerance = params.find("tolerance"); tolerance != params.end()) {
    if (!tolerance->is_number() || tolerance->get<double>() < 0)
      return invalid_argument("params.tolerance must be a number of at least 0 (in the metric's units)");
    out["tolerance"] = tolerance->get<double>();
  }
  return out;
}

}  // namespace

jobs::JobKind xgboost_kind(data::api::DataApi& data, registry::Registry& models) {
  jobs::JobKind kind;
  kind.name = kCompressXgboostKind;
  kind.description = "trim an XGBoost model version to the fewest rounds within a tolerance of its best holdout metric";
  kind.validate = [&data, &models](const json& params) { return validate(data, models, params); };
  kind.on_succeeded = [&data, &models](const jobs::SucceededJob& job) {
    const json& report = job.result["report"];
    return register_compressed(data, models, job,
                               {{"metric", report["metric"]["name"]},
                                {"tolerance", job.params["tolerance"]},
                                {"rounds", report["rounds"]["after"]},
                                {"holdout", job.params["dataset"].get<std::string>() + "@" +
                                                std::to_string(job.params["version"].get<int64_t>())}});
  };
  return kind;
}

}  // namespace maas::compression
