#include "training/xgboost/train_job.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>

#include "data/engine/database.h"
#include "training/evaluation.h"
#include "training/xgboost/train_steps.h"
#include "training/xgboost/xgboost_handles.h"

namespace maas::training {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Where a run stands between rounds: what a checkpoint holds besides the booster.
struct RunState {
  int next_round = 0;
  int best_round = -1;
  double best_score = 0;
};

// A checkpoint is the state as one JSON line, then the booster as UBJSON.
std::string encode_checkpoint(const RunState& state, const std::string& model) {
  json head = {{"next_round", state.next_round}, {"best_round", state.best_round}, {"best_score", state.best_score}};
  return head.dump() + "\n" + model;
}

Result<std::pair<RunState, std::string>> decode_checkpoint(const std::string& bytes) {
  size_t newline = bytes.find('\n');
  json head = json::parse(bytes.substr(0, newline), nullptr, false);
  if (newline == std::string::npos || !head.is_object() || !head.contains("next_round")) {
    return internal_error("the checkpoint is not a train.xgboost checkpoint");
  }
  RunState state{head["next_round"].get<int>(), head["best_round"].get<int>(), head["best_score"].get<double>()};
  return std::pair{state, bytes.substr(newline + 1)};
}

json features_json(const TrainingTable& table) {
  json out = json::array();
  for (const FeatureColumn& f : table.features) {
    json column = {{"name", f.name}, {"type", f.categorical ? "categorical" : "numeric"}};
    if (f.categorical) column["categories"] = f.categories;
    out.push_back(column);
  }
  return out;
}

struct Tables {
  TrainingTable train;
  std::optional<TrainingTable> validation;
};

Result<Tables> read_tables(jobs::JobContext& job, const TrainSpec& spec) {
  std::vector<fs::path> files = {spec.train.file};
  if (spec.validation) files.emplace_back(spec.validation->file);
  MAAS_ASSIGN_OR_RETURN(TrainingDatabase db, open_training_database(job.cpu_slots(), job.scratch_dir(), files));
  data::engine::Connection& connection = db.connection;
  Tables t;
  MAAS_ASSIGN_OR_RETURN(t.train, read_table(connection, spec.train.file, spec, "train", nullptr));
  MAAS_RETURN_IF_ERROR(check_labels(spec, t.train));
  if (spec.validation) {
    MAAS_ASSIGN_OR_RETURN(t.validation, read_table(connection, spec.validation->file, spec, "", &t.train.features));
  } else if (!spec.split_column.empty()) {
    MAAS_ASSIGN_OR_RETURN(t.validation, read_table(connection, spec.train.file, spec, "validation", &t.train.features));
  }
  if (t.validation) MAAS_RETURN_IF_ERROR(check_labels(spec, *t.validation));
  return t;
}

}  // namespace

Status run_train_xgboost(jobs::JobContext& job) {
  MAAS_ASSIGN_OR_RETURN(TrainSpec spec, spec_from_json(job.params()));
  job.progress(0, "reading dataset " + spec.train.dataset + " version " + spec.train.version);
  MAAS_ASSIGN_OR_RETURN(Tables tables, read_tables(job, spec));
  MAAS_ASSIGN_OR_RETURN(DMatrix train, DMatrix::from_table(tables.train));
  std::optional<DMatrix> validation;
  if (tables.validation) {
    MAAS_ASSIGN_OR_RETURN(validation, DMatrix::from_table(*tables.validation));
  }
  std::vector<const DMatrix*> watched{&train};
  std::vector<std::string> names{"train"};
  if (validation) {
    watched.push_back(&*validation);
    names.emplace_back("validation");
  }
  MAAS_ASSIGN_OR_RETURN(Booster booster, Booster::create(watched));
  MAAS_RETURN_IF_ERROR(configure(booster, spec, std::max(1, job.cpu_slots())));

  RunState state;
  if (auto saved = job.checkpoint()) {
    MAAS_ASSIGN_OR_RETURN(auto restored, decode_checkpoint(*saved));
    state = restored.first;
    MAAS_RETURN_IF_ERROR(booster.load(restored.second));
    MAAS_RETURN_IF_ERROR(configure(booster, spec, std::max(1, job.cpu_slots())));
    job.log(jobs::LogLevel::kInfo, "resuming at round " + std::to_string(state.next_round));
  }
  const std::string watched_metric = names.back() + "-" + spec.stopping_metric();
  const bool maximize = metric_maximized(spec.stopping_metric());
  const int rounds = static_cast<int>(spec.num_boost_round);
  bool stopped_early = false;
  for (int round = state.next_round; round < rounds && !stopped_early; ++round) {
    if (job.cancelled()) return unavailable("cancelled at round " + std::to_string(round));
    MAAS_RETURN_IF_ERROR(booster.update(round, train));
    MAAS_ASSIGN_OR_RETURN(std::string line, booster.evaluate(round, watched, names));
    std::map<std::string, double> evaluation = parse_evaluation(line);
    evaluation["round"] = round;
    if (auto it = evaluation.find(watched_metric); it != evaluation.end()) {
      bool better = state.best_round < 0 || (maximize ? it->second > state.best_score : it->second < state.best_score);
      if (better) state.best_round = round, state.best_score = it->second;
    }
    stopped_early = spec.early_stopping_rounds > 0 && round - state.best_round >= spec.early_stopping_rounds;
    state.next_round = round + 1;
    job.progress(static_cast<double>(round + 1) / rounds,
                 "round " + std::to_string(round + 1) + " of " + std::to_string(rounds), evaluation);
    if (state.next_round % spec.checkpoint_every == 0 && state.next_round < rounds && !stopped_early) {
      MAAS_ASSIGN_OR_RETURN(std::string model, booster.save("ubj"));
      MAAS_RETURN_IF_ERROR(job.save_checkpoint(encode_checkpoint(state, model)));
    }
  }
  const bool early_stopping = spec.early_stopping_rounds > 0 && state.best_round >= 0;
  if (stopped_early) {
    job.log(jobs::LogLevel::kInfo, "stopped early at round " + std::to_string(state.next_round) + "; best round " +
                                       std::to_string(state.best_round) + " (" + watched_metric + " " +
                                       std::to_string(state.best_score) + ")");
  }
  // With early stopping the version is the best round's model (what xgboost's predict(iteration_range=(0,
  // best_iteration + 1)) computes), whether or not training stopped before num_boost_round.
  if (early_stopping && state.best_round + 1 < state.next_round) {
    MAAS_ASSIGN_OR_RETURN(booster, booster.first_rounds(state.best_round + 1));
  }
  MAAS_RETURN_IF_ERROR(booster.describe_features(tables.train));
  MAAS_ASSIGN_OR_RETURN(std::string model, booster.save("json"));
  const fs::path model_file = fs::path(job.scratch_dir()) / "model.json";
  {
    std::ofstream out(model_file, std::ios::binary | std::ios::trunc);
    out.write(model.data(), static_cast<std::streamsize>(model.size()));
    if (!out.flush()) return internal_error("cannot write " + model_file.string());
  }
  const TrainingTable& evaluated = tables.validation ? *tables.validation : tables.train;
  Predictions predictions;
  MAAS_ASSIGN_OR_RETURN(predictions.values, booster.predict(validation ? *validation : train, &predictions.columns));
  predictions.label.assign(evaluated.label.begin(), evaluated.label.end());
  predictions.group_sizes = evaluated.group_sizes;
  MAAS_ASSIGN_OR_RETURN(json metrics, evaluate(spec.task(), predictions));
  MAAS_ASSIGN_OR_RETURN(int kept_rounds, booster.boosted_rounds());
  json result = {{"model_file", model_file.string()},
                 {"rounds", kept_rounds},
                 {"stopping_metric", watched_metric},
                 {"metrics", metrics},
                 {"evaluated_on", validation ? "validation" : "train"},
                 {"features", features_json(tables.train)},
                 {"num_features", tables.train.features.size()},
                 {"num_class", predictions.columns},
                 {"train_rows", tables.train.rows()},
                 {"validation_rows", tables.validation ? tables.validation->rows() : 0}};
  if (early_stopping) {
    result["best_iteration"] = state.best_round;
    result["best_score"] = state.best_score;
  }
  job.set_result(result);
  return {};
}

}  // namespace maas::training
