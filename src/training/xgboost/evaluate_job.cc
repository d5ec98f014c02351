#include "training/xgboost/evaluate_job.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "data/engine/database.h"
#include "training/evaluation.h"

namespace maas::training {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Result<std::string> text(const json& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end() || !it->is_string()) return invalid_argument(std::string("params.") + key + " is missing");
  return it->get<std::string>();
}

// The spec read_table needs: the model's columns, label, group and objective; no training parameters.
Result<TrainSpec> spec_of(const json& params) {
  TrainSpec spec;
  MAAS_ASSIGN_OR_RETURN(spec.label, text(params, "label"));
  MAAS_ASSIGN_OR_RETURN(std::string objective, text(params, "objective"));
  spec.booster["objective"] = objective;
  for (const char* key : {"features", "categorical"}) {
    if (!params.contains(key) || !params[key].is_array())
      return invalid_argument(std::string("params.") + key + " is missing");
    for (const json& name : params[key])
      (key[0] == 'f' ? spec.features : spec.categorical).push_back(name.get<std::string>());
  }
  if (params.contains("group_column")) {
    MAAS_ASSIGN_OR_RETURN(spec.group_column, text(params, "group_column"));
  }
  if (params.contains("split_column")) {
    MAAS_ASSIGN_OR_RETURN(spec.split_column, text(params, "split_column"));
  }
  return spec;
}

}  // namespace

Result<HoldoutModel> load_holdout_model(jobs::JobContext& job, const json& params) {
  MAAS_ASSIGN_OR_RETURN(TrainSpec spec, spec_of(params));
  MAAS_ASSIGN_OR_RETURN(std::string file, text(params, "file"));
  MAAS_ASSIGN_OR_RETURN(std::string model_file, text(params, "model_file"));
  const std::string split_value = params.contains("split_value") ? params["split_value"].get<std::string>() : "";
  // The training categories, so that a code means here what it meant in training.
  std::vector<FeatureColumn> columns;
  for (const std::string& name : spec.features) {
    FeatureColumn column{name, false, {}};
    if (auto c = params["categories"].find(name); c != params["categories"].end()) {
      column.categorical = true;
      column.categories = c->get<std::vector<std::string>>();
    }
    columns.push_back(std::move(column));
  }
  MAAS_ASSIGN_OR_RETURN(TrainingDatabase db, open_training_database(job.cpu_slots(), job.scratch_dir(), {file}));
  MAAS_ASSIGN_OR_RETURN(TrainingTable table, read_table(db.connection, file, spec, split_value, &columns));
  MAAS_ASSIGN_OR_RETURN(DMatrix matrix, DMatrix::from_table(table));
  std::ifstream in(model_file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) return internal_error("cannot read the model file " + model_file);
  MAAS_ASSIGN_OR_RETURN(Booster booster, Booster::create({}));
  MAAS_RETURN_IF_ERROR(booster.load(bytes));
  MAAS_RETURN_IF_ERROR(booster.set_param("nthread", std::to_string(std::max(1, job.cpu_slots()))));
  HoldoutPredictions labelled{spec.task(), {}};
  labelled.predictions.label.assign(table.label.begin(), table.label.end());
  labelled.predictions.group_sizes = table.group_sizes;
  return HoldoutModel{std::move(labelled), std::move(matrix), std::move(booster)};
}

Result<HoldoutPredictions> predict_holdout(jobs::JobContext& job, const json& params) {
  MAAS_ASSIGN_OR_RETURN(HoldoutModel holdout, load_holdout_model(job, params));
  HoldoutPredictions out = std::move(holdout.labelled);
  MAAS_ASSIGN_OR_RETURN(out.predictions.values, holdout.booster.predict(holdout.matrix, &out.predictions.columns));
  return out;
}

Status run_evaluate(jobs::JobContext& job) {
  const json& params = job.params();
  job.progress(0.1, "reading the holdout rows and predicting");
  MAAS_ASSIGN_OR_RETURN(HoldoutPredictions holdout, predict_holdout(job, params));
  const Predictions& predictions = holdout.predictions;
  const size_t rows = predictions.label.size();
  MAAS_ASSIGN_OR_RETURN(json metrics, evaluate(holdout.task, predictions));
  std::map<std::string, double> shown;
  for (const auto& [name, value] : metrics.items()) shown[name] = value.get<double>();
  job.progress(1.0, "evaluated " + std::to_string(rows) + " rows", shown);
  job.set_result({{"metrics", metrics},
                  {"rows", rows},
                  {"model", params["model"]},
                  {"model_version", params["model_version"]},
                  {"dataset", params["dataset"]},
                  {"version", params["version"]}});
  return {};
}

}  // namespace maas::training
