#include "compression/xgboost_job.h"

#include <filesystem>
#include <fstream>

#include "compression/report.h"
#include "training/xgboost/evaluate_job.h"

namespace maas::compression {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kLatencyRuns = 5;

std::string default_metric(training::Task task) {
  switch (task) {
    case training::Task::kRegression:
      return "rmse";
    case training::Task::kRanking:
      return "ndcg";
    default:
      return "log_loss";
  }
}

// The metrics of the first `rounds` rounds' predictions over the holdout (0: every round).
Result<json> metrics_at(const training::HoldoutModel& holdout, const training::Booster& booster, int rounds) {
  training::Predictions predictions = holdout.labelled.predictions;
  MAAS_ASSIGN_OR_RETURN(predictions.values, booster.predict(holdout.matrix, &predictions.columns, rounds));
  return training::evaluate(holdout.labelled.task, predictions);
}

// The fewest rounds whose value is within `tolerance` of the best of `curve` (curve[k - 1]: k rounds).
int fewest_rounds(const std::vector<double>& curve, bool higher_is_better, double tolerance, double* best) {
  *best = curve.front();
  for (double value : curve) *best = higher_is_better ? std::max(*best, value) : std::min(*best, value);
  for (size_t k = 0; k < curve.size(); ++k) {
    if (higher_is_better ? curve[k] >= *best - tolerance : curve[k] <= *best + tolerance)
      return static_cast<int>(k + 1);
  }
  return static_cast<int>(curve.size());
}

}  // namespace

Status run_compress_xgboost(jobs::JobContext& job) {
  const json& params = job.params();
  job.progress(0.02, "reading the holdout rows");
  MAAS_ASSIGN_OR_RETURN(training::HoldoutModel holdout, training::load_holdout_model(job, params));
  MAAS_ASSIGN_OR_RETURN(int rounds, holdout.booster.boosted_rounds());
  if (rounds < 1) return invalid_argument("the model has no boosting rounds to trim");
  const std::string metric =
      params.contains("metric") ? params["metric"].get<std::string>() : default_metric(holdout.labelled.task);
  const double tolerance = params.value("tolerance", 0.0);
  const bool higher = training::higher_is_better(metric);

  std::vector<double> curve;
  std::vector<json> metrics_by_rounds;  // [k - 1]: every metric of the first k rounds
  for (int k = 1; k <= rounds; ++k) {
    if (job.cancelled()) return unavailable("cancelled at round " + std::to_string(k));
    MAAS_ASSIGN_OR_RETURN(json metrics, metrics_at(holdout, holdout.booster, k));
    if (!metrics.contains(metric)) {
      std::string names;
      for (const auto& [name, value] : metrics.items()) names += (names.empty() ? "" : ", ") + name;
      return invalid_argument("the metric " + metric + " is not computed for this model on this holdout: " + names);
    }
    curve.push_back(metrics[metric].get<double>());
    metrics_by_rounds.push_back(std::move(metrics));
    job.progress(0.05 + 0.8 * k / rounds,
                 "evaluated " + std::to_string(k) + " of " + std::to_string(rounds) + " rounds");
  }
  double best = 0;
  const int chosen = fewest_rounds(curve, higher, tolerance, &best);
  const int best_rounds = fewest_rounds(curve, higher, 0.0, &best);

  MAAS_ASSIGN_OR_RETURN(training::Booster trimmed, holdout.booster.first_rounds(chosen));
  MAAS_ASSIGN_OR_RETURN(std::string bytes, trimmed.save("json"));
  const fs::path model_file = fs::path(job.scratch_dir()) / "model.json";
  {
    std::ofstream out(model_file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) return internal_error("cannot write " + model_file.string());
  }
  // The trimmed model's first `chosen` rounds are the source's: its metrics were computed in the loop.
  const json& metrics_before = metrics_by_rounds.back();
  const json& metrics_after = metrics_by_rounds[static_cast<size_t>(chosen - 1)];

  job.progress(0.9, "timing both models over the holdout");
  size_t columns = 0;
  auto timed = [&](const training::Booster& booster) {
    return median_seconds(kLatencyRuns, [&]() -> Status { return booster.predict(holdout.matrix, &columns).status(); });
  };
  MAAS_ASSIGN_OR_RETURN(double before_s, timed(holdout.booster));
  MAAS_ASSIGN_OR_RETURN(double after_s, timed(trimmed));
  const size_t rows = holdout.labelled.predictions.label.size();

  json stored = json::object();
  for (const auto& [name, value] : metrics_after.items()) stored["holdout:" + name] = value;
  json report = {{"size_bytes", size_report(params.value("source_bytes", uint64_t{0}), bytes.size())},
                 {"latency",
                  {{"measure", "predicting the holdout's " + std::to_string(rows) + " rows in one call, median of " +
                                   std::to_string(kLatencyRuns) + " runs, " +
                                   std::to_string(std::max(1, job.cpu_slots())) + " threads"},
                   {"before_ms", before_s * 1e3},
                   {"after_ms", after_s * 1e3}}},
                 {"rounds", {{"before", rounds}, {"after", chosen}}},
                 {"metric",
                  {{"name", metric},
                   {"higher_is_better", higher},
                   {"tolerance", tolerance},
                   {"best", best},
                   {"best_rounds", best_rounds},
                   {"chosen", curve[chosen - 1]},
                   {"curve", curve}}},
                 {"metrics_before", metrics_before},
                 {"metrics_after", metrics_after}};
  job.progress(1.0, "kept " + std::to_string(chosen) + " of " + std::to_string(rounds) + " rounds",
               {{metric, curve[chosen - 1]}});
  job.set_result({{"model_file", model_file.string()}, {"metrics", stored}, {"report", report}});
  return {};
}

}  // namespace maas::compression
