#include "training/cv/cv_job.h"

#include <cmath>
#include <filesystem>
#include <optional>

#include "data/engine/database.h"
#include "training/cv/cv_spec.h"
#include "training/cv/fold_rows.h"
#include "training/evaluation.h"
#include "training/xgboost/train_steps.h"
#include "training/xgboost/xgboost_handles.h"

namespace maas::training::cv {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct FoldRun {
  TrainingTable test_table;
  size_t train_rows = 0;
  DMatrix train;
  DMatrix test;
  std::optional<Booster> booster;
};

// Where the run stands between rounds: what a checkpoint holds besides the boosters.
struct CvState {
  int next_round = 0;
  int best_round = -1;
  double best_score = 0;
  json curve = json::array();
};

// A checkpoint: the state and each booster's size as one JSON line, then the boosters (UBJSON) back to back.
Result<std::string> encode_checkpoint(const CvState& state, const std::vector<FoldRun>& runs) {
  std::string boosters;
  json sizes = json::array();
  for (const FoldRun& run : runs) {
    MAAS_ASSIGN_OR_RETURN(std::string bytes, run.booster->save("ubj"));
    sizes.push_back(bytes.size());
    boosters += bytes;
  }
  json head = {{"next_round", state.next_round},
               {"best_round", state.best_round},
               {"best_score", state.best_score},
               {"curve", state.curve},
               {"sizes", sizes}};
  return head.dump() + "\n" + boosters;
}

Status restore_checkpoint(const std::string& bytes, CvState& state, std::vector<FoldRun>& runs) {
  const size_t newline = bytes.find('\n');
  const json head = json::parse(bytes.substr(0, newline), nullptr, false);
  if (newline == std::string::npos || !head.is_object() || !head.contains("sizes") ||
      head["sizes"].size() != runs.size()) {
    return internal_error("the checkpoint is not this train.cv job's");
  }
  state = {head["next_round"].get<int>(), head["best_round"].get<int>(), head["best_score"].get<double>(),
           head["curve"]};
  size_t offset = newline + 1;
  for (size_t f = 0; f < runs.size(); ++f) {
    const size_t size = head["sizes"][f].get<size_t>();
    if (offset + size > bytes.size()) return internal_error("the train.cv checkpoint is truncated");
    MAAS_RETURN_IF_ERROR(runs[f].booster->load(std::string_view(bytes).substr(offset, size)));
    offset += size;
  }
  return {};
}

// Reports the round's value to the study and answers whether the trial goes on (the pruner's decision). A round
// without a finite value is not reported; it goes on.
Result<bool> study_says_prune(jobs::JobContext& job, const StudyGate& gate, int round,
                              const std::map<std::string, double>& row) {
  const auto it = row.find(gate.metric_key);
  if (it == row.end() || !std::isfinite(it->second)) return false;
  const json question = {{"study", gate.study}, {"trial", gate.trial}, {"step", round}, {"value", it->second}};
  MAAS_ASSIGN_OR_RETURN(json answer, job.ask(kStudyReportTopic, question));
  if (!answer.is_object() || !answer.contains("prune") || !answer["prune"].is_boolean()) {
    return internal_error("maasd's answer to a study report has no 'prune'");
  }
  return answer["prune"].get<bool>();
}

// Mean and population standard deviation (np.std, as xgb.cv reports).
std::pair<double, double> mean_std(const std::vector<double>& values) {
  double mean = 0;
  for (double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  double variance = 0;
  for (double v : values) variance += (v - mean) * (v - mean);
  return {mean, std::sqrt(variance / static_cast<double>(values.size()))};
}

// The round's evaluation of each fold -> {name-mean, name-std} for the metrics every fold reported.
std::map<std::string, double> aggregate(const std::vector<std::map<std::string, double>>& per_fold) {
  std::map<std::string, double> out;
  for (const auto& [name, _] : per_fold.front()) {
    std::vector<double> values;
    for (const auto& fold : per_fold) {
      if (auto it = fold.find(name); it != fold.end()) values.push_back(it->second);
    }
    if (values.size() != per_fold.size()) continue;
    auto [mean, std] = mean_std(values);
    out[name + "-mean"] = mean;
    out[name + "-std"] = std;
  }
  return out;
}

Result<std::vector<FoldRun>> prepare_folds(jobs::JobContext& job, const TrainSpec& spec, const CvSpec& cv,
                                           size_t* rows) {
  MAAS_ASSIGN_OR_RETURN(TrainingDatabase db,
                        open_training_database(job.cpu_slots(), job.scratch_dir(), {spec.train.file}));
  MAAS_ASSIGN_OR_RETURN(FoldRows read, read_fold_rows(db.connection, spec, cv));
  MAAS_RETURN_IF_ERROR(check_labels(spec, read.table));
  *rows = read.table.rows();
  const std::vector<double> labels(read.table.label.begin(), read.table.label.end());
  MAAS_ASSIGN_OR_RETURN(std::vector<Fold> folds, make_folds(cv.folds, read.table.rows(), labels, read.groups));
  std::vector<FoldRun> runs;
  for (const Fold& fold : folds) {
    FoldRun run;
    run.train_rows = fold.train.size();
    if (fold.train.empty() || fold.test.empty()) return invalid_argument("a fold has no training or no test rows");
    MAAS_ASSIGN_OR_RETURN(run.train, DMatrix::from_table(table_rows(read.table, fold.train)));
    run.test_table = table_rows(read.table, fold.test);
    MAAS_ASSIGN_OR_RETURN(run.test, DMatrix::from_table(run.test_table));
    MAAS_ASSIGN_OR_RETURN(run.booster, Booster::create({&run.train, &run.test}));
    MAAS_RETURN_IF_ERROR(configure(*run.booster, spec, std::max(1, job.cpu_slots())));
    runs.push_back(std::move(run));
  }
  return runs;
}

// Each fold's model predicts its test rows: the task's metrics per fold, and their mean and std.
Result<json> fold_metrics(const TrainSpec& spec, std::vector<FoldRun>& runs, int kept_rounds, json* folds) {
  std::map<std::string, std::vector<double>> values;
  for (size_t f = 0; f < runs.size(); ++f) {
    FoldRun& run = runs[f];
    MAAS_ASSIGN_OR_RETURN(int rounds, run.booster->boosted_rounds());
    if (kept_rounds < rounds) {
      MAAS_ASSIGN_OR_RETURN(run.booster, run.booster->first_rounds(kept_rounds));
    }
    Predictions predictions;
    MAAS_ASSIGN_OR_RETURN(predictions.values, run.booster->predict(run.test, &predictions.columns));
    predictions.label.assign(run.test_table.label.begin(), run.test_table.label.end());
    MAAS_ASSIGN_OR_RETURN(json metrics, evaluate(spec.task(), predictions));
    for (const auto& [name, value] : metrics.items()) values[name].push_back(value.get<double>());
    folds->push_back(
        {{"fold", f}, {"train_rows", run.train_rows}, {"test_rows", run.test_table.rows()}, {"metrics", metrics}});
  }
  json summary = json::object();
  for (const auto& [name, list] : values) {
    // A metric undefined on some fold's rows (an AUC over one class) has no mean.
    if (list.size() != runs.size()) continue;
    auto [mean, std] = mean_std(list);
    summary[name] = {{"mean", mean}, {"std", std}};
  }
  return summary;
}

}  // namespace

Status run_cv(jobs::JobContext& job) {
  const json& params = job.params();
  if (!params.contains("train") || !params.contains("cv")) return internal_error("train.cv params are incomplete");
  MAAS_ASSIGN_OR_RETURN(TrainSpec spec, spec_from_json(params["train"]));
  const json stopping_rounds = params.contains("early_stopping_rounds") ? params["early_stopping_rounds"] : json();
  MAAS_ASSIGN_OR_RETURN(CvSpec cv, cv_spec_from_json(params["cv"], stopping_rounds));
  MAAS_ASSIGN_OR_RETURN(std::optional<StudyGate> gate, study_gate_from_json(params));
  job.progress(0, "reading dataset " + spec.train.dataset + " version " + spec.train.version);
  size_t rows = 0;
  MAAS_ASSIGN_OR_RETURN(std::vector<FoldRun> runs, prepare_folds(job, spec, cv, &rows));
  CvState state;
  if (auto saved = job.checkpoint()) {
    MAAS_RETURN_IF_ERROR(restore_checkpoint(*saved, state, runs));
    for (FoldRun& run : runs) MAAS_RETURN_IF_ERROR(configure(*run.booster, spec, std::max(1, job.cpu_slots())));
    job.log(jobs::LogLevel::kInfo, "resuming at round " + std::to_string(state.next_round));
  }
  const std::string watched = "test-" + spec.stopping_metric() + "-mean";
  const bool maximize = metric_maximized(spec.stopping_metric());
  const int total = static_cast<int>(spec.num_boost_round);
  const std::vector<std::string> names{"train", "test"};
  bool stopped_early = false;
  std::optional<int> pruned_at;
  for (int round = state.next_round; round < total && !stopped_early && !pruned_at; ++round) {
    std::vector<std::map<std::string, double>> per_fold;
    for (FoldRun& run : runs) {
      if (job.cancelled()) return unavailable("cancelled at round " + std::to_string(round));
      MAAS_RETURN_IF_ERROR(run.booster->update(round, run.train));
      MAAS_ASSIGN_OR_RETURN(std::string line, run.booster->evaluate(round, {&run.train, &run.test}, names));
      per_fold.push_back(parse_evaluation(line));
    }
    std::map<std::string, double> row = aggregate(per_fold);
    if (auto it = row.find(watched); it != row.end()) {
      bool better = state.best_round < 0 || (maximize ? it->second > state.best_score : it->second < state.best_score);
      if (better) state.best_round = round, state.best_score = it->second;
    }
    json curve_row(row);
    curve_row["round"] = round;
    state.curve.push_back(curve_row);
    stopped_early = cv.early_stopping_rounds > 0 && round - state.best_round >= cv.early_stopping_rounds;
    state.next_round = round + 1;
    if (gate) {
      MAAS_ASSIGN_OR_RETURN(bool prune, study_says_prune(job, *gate, round, row));
      if (prune) {
        pruned_at = round;
        job.log(jobs::LogLevel::kInfo,
                "the study pruned trial " + std::to_string(gate->trial) + " at round " + std::to_string(round));
      }
    }
    row["round"] = round;
    job.progress(static_cast<double>(round + 1) / total,
                 "round " + std::to_string(round + 1) + " of " + std::to_string(total) + " over " +
                     std::to_string(runs.size()) + " folds",
                 row);
    if (state.next_round % spec.checkpoint_every == 0 && state.next_round < total && !stopped_early && !pruned_at) {
      MAAS_ASSIGN_OR_RETURN(std::string bytes, encode_checkpoint(state, runs));
      MAAS_RETURN_IF_ERROR(job.save_checkpoint(bytes));
    }
  }
  const bool early_stopping = cv.early_stopping_rounds > 0 && state.best_round >= 0;
  // As xgb.cv: with early stopping the curve and the models end at the best round.
  const int kept = early_stopping ? state.best_round + 1 : state.next_round;
  json curve = json::array();
  for (int r = 0; r < kept && r < static_cast<int>(state.curve.size()); ++r) curve.push_back(state.curve[r]);
  json folds = json::array();
  MAAS_ASSIGN_OR_RETURN(json metrics, fold_metrics(spec, runs, kept, &folds));
  json result = {{"strategy", strategy_name(cv.folds.strategy)},
                 {"rows", rows},
                 {"folds", folds},
                 {"metrics", metrics},
                 {"curve", curve},
                 {"rounds", kept},
                 {"stopping_metric", watched}};
  if (pruned_at) result["pruned_at_round"] = *pruned_at;
  if (early_stopping) {
    result["best_iteration"] = state.best_round;
    result["best_score"] = state.best_score;
  }
  job.set_result(result);
  return {};
}

}  // namespace maas::training::cv
