#include "training/validation/validate_job.h"

#include <cmath>

#include "training/compare/paired_bootstrap.h"
#include "training/evaluation.h"
#include "training/xgboost/evaluate_job.h"

namespace maas::training::validation {
namespace {

using nlohmann::json;

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

// The thresholds' checks, appended to `checks`; a metric the task does not report fails its check.
void check_thresholds(const json& thresholds, const json& metrics, json& checks) {
  for (const auto& [metric, bounds] : thresholds.items()) {
    json check = {{"check", "threshold"}, {"metric", metric}};
    if (!metrics.contains(metric)) {
      check["passed"] = false;
      check["message"] = metric + " is not reported for this model's task or is undefined on the holdout rows";
      checks.push_back(check);
      continue;
    }
    const double value = metrics[metric].get<double>();
    check["value"] = value;
    bool passed = true;
    std::string message = metric + " = " + number(value);
    if (bounds.contains("min")) {
      check["min"] = bounds["min"];
      passed = passed && value >= bounds["min"].get<double>();
      message += (value >= bounds["min"].get<double>() ? " >= min " : " < min ") + number(bounds["min"].get<double>());
    }
    if (bounds.contains("max")) {
      check["max"] = bounds["max"];
      passed = passed && value <= bounds["max"].get<double>();
      message += (value <= bounds["max"].get<double>() ? " <= max " : " > max ") + number(bounds["max"].get<double>());
    }
    check["passed"] = passed;
    check["message"] = message;
    checks.push_back(check);
  }
}

// Not worse than the champion by more than the margin: `improvement` is the candidate's metric minus the
// champion's, signed so that positive is better. With a significance test, a worse candidate fails only when the
// paired bootstrap finds the champion better at the test's confidence.
Result<json> check_champion(jobs::JobContext& job, const json& params, const HoldoutPredictions& candidate,
                            const json& candidate_metrics) {
  const json& rule = params["policy"]["not_worse_than"];
  json check = {{"check", "not_worse_than"}, {"champion", rule["version"]}};
  if (!params.contains("champion")) {
    check["passed"] = true;
    check["message"] = params.value("champion_note", std::string("no champion to compare with"));
    return check;
  }
  MAAS_ASSIGN_OR_RETURN(HoldoutPredictions champion, predict_holdout(job, params["champion"]));
  if (champion.task != candidate.task) return invalid_argument("the champion is not of the candidate's task");
  const std::vector<std::string> metrics = compare::comparable_metrics(candidate.task);
  if (metrics.empty()) return invalid_argument("not_worse_than cannot compare ranking models yet");
  const std::string metric = rule.contains("metric") ? rule["metric"].get<std::string>() : metrics.front();
  if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end()) {
    return invalid_argument("not_worse_than.metric " + metric + " is not reported for this model's task");
  }
  check["metric"] = metric;
  check["champion_version"] = params["champion"]["model_version"];
  const double margin = rule["margin"].get<double>();
  MAAS_ASSIGN_OR_RETURN(json champion_metrics, evaluate(champion.task, champion.predictions));
  if (!champion_metrics.contains(metric) || !candidate_metrics.contains(metric)) {
    return invalid_argument(metric + " is undefined on the holdout rows");
  }
  const double a = champion_metrics[metric].get<double>(), b = candidate_metrics[metric].get<double>();
  const double improvement = higher_is_better(metric) ? b - a : a - b;
  check["value"] = b;
  check["champion_value"] = a;
  check["margin"] = margin;
  bool passed = improvement >= -margin;
  std::string message = metric + " " + number(b) + " vs the champion's " + number(a);
  if (rule.contains("significance") && !passed) {
    const json& test = rule["significance"];
    compare::BootstrapOptions options;
    options.metric = metric;
    options.resamples = test["resamples"].get<int64_t>();
    options.seed = test["seed"].get<uint32_t>();
    options.confidence = test["confidence"].get<double>();
    auto progress = [&job](int64_t) { return !job.cancelled(); };
    MAAS_ASSIGN_OR_RETURN(
        compare::BootstrapResult result,
        compare::paired_bootstrap(candidate.task, champion.predictions, candidate.predictions, options, progress));
    check["p_value"] = result.p_value;
    check["ci"] = {result.ci_low, result.ci_high};
    // Worse, but only failed when the champion is better beyond chance.
    passed = result.p_value >= 1.0 - options.confidence;
    message += passed ? " (worse, not significantly: p=" + number(result.p_value) + ")"
                      : " (significantly worse: p=" + number(result.p_value) + ")";
  } else {
    message += passed ? " (not worse by more than the margin " + number(margin) + ")"
                      : " (worse by more than the margin " + number(margin) + ")";
  }
  check["passed"] = passed;
  check["message"] = message;
  return check;
}

}  // namespace

Status run_validate(jobs::JobContext& job) {
  const json& params = job.params();
  for (const char* key : {"model", "model_version", "policy", "candidate"}) {
    if (!params.contains(key)) return internal_error(std::string("train.validate params lack ") + key);
  }
  job.progress(0.1, "predicting the holdout rows with the candidate");
  MAAS_ASSIGN_OR_RETURN(HoldoutPredictions candidate, predict_holdout(job, params["candidate"]));
  MAAS_ASSIGN_OR_RETURN(json metrics, evaluate(candidate.task, candidate.predictions));
  json checks = json::array();
  check_thresholds(params["policy"]["thresholds"], metrics, checks);
  if (params["policy"].contains("not_worse_than")) {
    job.progress(0.5, "comparing with the champion");
    MAAS_ASSIGN_OR_RETURN(json check, check_champion(job, params, candidate, metrics));
    checks.push_back(check);
  }
  bool passed = true;
  std::string reason;
  for (const json& check : checks) {
    if (check["passed"].get<bool>()) continue;
    passed = false;
    reason += (reason.empty() ? "" : "; ") + check["message"].get<std::string>();
  }
  if (passed) reason = "passed " + std::to_string(checks.size()) + " check(s) of the validation policy";
  job.progress(1.0, passed ? "passed" : "failed: " + reason);
  const json& c = params["candidate"];
  job.set_result({{"passed", passed},
                  {"model", params["model"]},
                  {"model_version", params["model_version"]},
                  {"dataset", c["dataset"].get<std::string>() + "@" + std::to_string(c["version"].get<int64_t>())},
                  {"rows", candidate.predictions.label.size()},
                  {"metrics", metrics},
                  {"checks", checks},
                  {"reason", reason}});
  return {};
}

}  // namespace maas::training::validation
