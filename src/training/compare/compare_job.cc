#include "training/compare/compare_job.h"

#include "training/compare/paired_bootstrap.h"
#include "training/xgboost/evaluate_job.h"

namespace maas::training::compare {

using nlohmann::json;

Status run_compare(jobs::JobContext& job) {
  const json& params = job.params();
  for (const char* key : {"a", "b", "metric", "resamples", "seed", "confidence"}) {
    if (!params.contains(key)) return internal_error(std::string("train.compare params lack ") + key);
  }
  job.progress(0.05, "predicting the holdout rows with model A");
  MAAS_ASSIGN_OR_RETURN(HoldoutPredictions a, predict_holdout(job, params["a"]));
  job.progress(0.1, "predicting the holdout rows with model B");
  MAAS_ASSIGN_OR_RETURN(HoldoutPredictions b, predict_holdout(job, params["b"]));
  if (a.task != b.task) return invalid_argument("the two model versions are not of the same task");
  BootstrapOptions options;
  options.metric = params["metric"].get<std::string>();
  options.resamples = params["resamples"].get<int64_t>();
  options.seed = params["seed"].get<uint32_t>();
  options.confidence = params["confidence"].get<double>();
  auto progress = [&job, &options](int64_t done) {
    job.progress(0.1 + 0.9 * static_cast<double>(done) / static_cast<double>(options.resamples),
                 std::to_string(done) + " of " + std::to_string(options.resamples) + " resamples");
    return !job.cancelled();
  };
  MAAS_ASSIGN_OR_RETURN(BootstrapResult result,
                        paired_bootstrap(a.task, a.predictions, b.predictions, options, progress));
  const bool b_better = result.higher_is_better ? result.difference > 0 : result.difference < 0;
  const bool significant = result.difference != 0 && result.p_value < 1.0 - options.confidence;
  const char* winner = !significant ? "tie" : b_better ? "b" : "a";
  auto side = [&params](const char* key, double value) {
    return json{{"model", params[key]["model"]}, {"version", params[key]["model_version"]}, {"value", value}};
  };
  job.progress(1.0, std::string("winner: ") + winner, {{"difference", result.difference}, {"p_value", result.p_value}});
  job.set_result({{"metric", options.metric},
                  {"higher_is_better", result.higher_is_better},
                  {"a", side("a", result.a)},
                  {"b", side("b", result.b)},
                  {"difference", result.difference},
                  {"ci", {result.ci_low, result.ci_high}},
                  {"confidence", options.confidence},
                  {"p_value", result.p_value},
                  {"resamples", options.resamples},
                  {"used_resamples", result.used},
                  {"seed", options.seed},
                  {"rows", a.predictions.label.size()},
                  {"dataset", params["a"]["dataset"].get<std::string>() + "@" +
                                  std::to_string(params["a"]["version"].get<int64_t>())},
                  {"winner", winner}});
  return {};
}

}  // namespace maas::training::compare
