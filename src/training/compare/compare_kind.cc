#include "training/compare/compare_kind.h"

#include <algorithm>
#include <set>

#include "training/compare/compare_job.h"
#include "training/compare/paired_bootstrap.h"
#include "training/xgboost/evaluate_kind.h"
#include "training/xgboost/train_spec.h"

namespace maas::training::compare {
namespace {

using nlohmann::json;

// One side's train.evaluate submission: {model, version?} plus the shared holdout fields.
Result<json> side_params(const json& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end() || !it->is_object() || !it->contains("model")) {
    return invalid_argument(std::string("params.") + key + " must be {model, version?}: a model version to compare");
  }
  for (const auto& [field, value] : it->items()) {
    if (field != "model" && field != "version") {
      return invalid_argument(std::string("params.") + key + "." + field + " is not a field of {model, version}");
    }
  }
  json out = {{"model", (*it)["model"]}};
  if (it->contains("version")) out["model_version"] = (*it)["version"];
  for (const char* shared : {"dataset", "version", "split_column", "split_value"}) {
    if (params.contains(shared)) out[shared] = params[shared];
  }
  return out;
}

Task task_of(const json& evaluation) {
  TrainSpec spec;
  spec.booster["objective"] = evaluation["objective"].get<std::string>();
  return spec.task();
}

Result<json> validate(data::api::DataApi& api, registry::Registry& models, const json& params) {
  if (!params.is_object()) return invalid_argument("params must be a JSON object");
  static const std::set<std::string> kKeys = {"a",           "b",      "dataset",   "version", "split_column",
                                              "split_value", "metric", "resamples", "seed",    "confidence"};
  for (const auto& [key, value] : params.items()) {
    if (!kKeys.contains(key)) {
      return invalid_argument("params." + key +
                              " is not a parameter of train.compare (a, b, dataset, version, split_column, "
                              "split_value, metric, resamples, seed, confidence)");
    }
  }
  MAAS_ASSIGN_OR_RETURN(json a_params, side_params(params, "a"));
  MAAS_ASSIGN_OR_RETURN(json b_params, side_params(params, "b"));
  MAAS_ASSIGN_OR_RETURN(json a, validate_evaluation_params(api, models, a_params));
  MAAS_ASSIGN_OR_RETURN(json b, validate_evaluation_params(api, models, b_params));
  if (a["label"] != b["label"]) {
    return invalid_argument("the two versions were trained on different labels ('" + a["label"].get<std::string>() +
                            "' and '" + b["label"].get<std::string>() + "')");
  }
  const Task task = task_of(a);
  if (task != task_of(b)) return invalid_argument("the two versions are of different tasks (their objectives)");
  const std::vector<std::string> metrics = comparable_metrics(task);
  if (metrics.empty()) return invalid_argument("train.compare does not compare ranking models yet");
  std::string metric = metrics.front();
  if (auto it = params.find("metric"); it != params.end() && !it->is_null()) {
    if (!it->is_string() || std::find(metrics.begin(), metrics.end(), it->get<std::string>()) == metrics.end()) {
      std::string names;
      for (const std::string& m : metrics) names += (names.empty() ? "" : ", ") + m;
      return invalid_argument("params.metric must be one of " + names + " for these models");
    }
    metric = it->get<std::string>();
  }
  int64_t resamples = 1000, seed = 0;
  double confidence = 0.95;
  if (auto it = params.find("resamples"); it != params.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 10 || it->get<int64_t>() > 100000) {
      return invalid_argument("params.resamples must be an integer from 10 to 100000");
    }
    resamples = it->get<int64_t>();
  }
  if (auto it = params.find("seed"); it != params.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 0xffffffffLL) {
      return invalid_argument("params.seed must be an integer from 0 to 4294967295");
    }
    seed = it->get<int64_t>();
  }
  if (auto it = params.find("confidence"); it != params.end()) {
    if (!it->is_number() || !(it->get<double>() > 0 && it->get<double>() < 1)) {
      return invalid_argument("params.confidence must be a number between 0 and 1 (e.g. 0.95)");
    }
    confidence = it->get<double>();
  }
  return json{
      {"a", a}, {"b", b}, {"metric", metric}, {"resamples", resamples}, {"seed", seed}, {"confidence", confidence}};
}

}  // namespace

jobs::JobKind compare_kind(data::api::DataApi& data, registry::Registry& models) {
  jobs::JobKind kind;
  kind.name = kCompareKind;
  kind.description = "compare two model versions on one holdout dataset version with a paired bootstrap";
  kind.validate = [&data, &models](const json& params) { return validate(data, models, params); };
  return kind;
}

}  // namespace maas::training::compare
