// `maas train ...`: start a training run (train.xgboost, train.torch), an evaluation (train.evaluate), a
// cross-validation (train.cv) or a comparison of two versions (train.compare) as a job and, with --follow, show its
// rounds and metrics live until it ends (docs/TRAINING.md). The job system does the work; these commands only build
// the job's parameters from flags.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/job_output.h"
#include "cli/spec_file.h"

namespace maas::cli {
namespace {

using nlohmann::json;

struct TrainArgs {
  std::string model, dataset, validation, split_column, label, weight_column, group_column, description;
  std::vector<std::string> features, params;
  std::optional<int64_t> rounds, early_stopping, checkpoint_every;
  std::optional<int> cpu_slots, priority;
  bool follow = false;
};

struct TorchArgs {
  std::string spec, model, dataset, validation, split_column, label, description;
  std::vector<std::string> features;
  std::optional<int64_t> epochs, batch_size, seed, checkpoint_every;
  std::optional<int> cpu_slots, priority;
  bool follow = false;
};

struct CvArgs {
  TrainArgs recipe;
  std::string strategy, group_column, time_column;
  std::optional<int64_t> folds, seed, gap, test_size, max_train_size;
  bool shuffle = false;
};

struct CompareArgs {
  std::string a, b, dataset, split_column, split_value, metric;
  std::optional<int64_t> resamples, seed;
  std::optional<double> confidence;
  std::optional<int> cpu_slots;
  bool follow = false;
};

struct EvaluateArgs {
  std::string model, dataset, split_column, split_value;
  std::optional<int> cpu_slots;
  bool follow = false;
};

// What train.xgboost and train.cv share: the rows, label, features and xgboost parameters of a recipe.
Result<json> recipe_params(const TrainArgs& a) {
  MAAS_ASSIGN_OR_RETURN(json booster, build_job_params("", a.params));
  json params = named_version(a.dataset, "dataset", "version");
  params["label"] = a.label;
  params["params"] = booster;
  if (!a.features.empty()) params["features"] = a.features;
  for (const auto& [key, value] : {std::pair{"weight_column", a.weight_column}, {"group_column", a.group_column}}) {
    if (!value.empty()) params[key] = value;
  }
  if (a.rounds) params["num_boost_round"] = *a.rounds;
  if (a.early_stopping) params["early_stopping_rounds"] = *a.early_stopping;
  if (a.checkpoint_every) params["checkpoint_every"] = *a.checkpoint_every;
  return params;
}

ExitCode train_xgboost(CommandContext& ctx, const TrainArgs& a) {
  auto params = recipe_params(a);
  if (!params.ok()) return report_usage_error(params.status().message());
  (*params)["model"] = a.model;
  if (!a.validation.empty()) (*params)["validation"] = named_version(a.validation, "dataset", "version");
  for (const auto& [key, value] : {std::pair{"split_column", a.split_column}, {"description", a.description}}) {
    if (!value.empty()) (*params)[key] = value;
  }
  return submit_job(ctx, "train.xgboost", *params, a.cpu_slots, a.priority, a.follow);
}

ExitCode cross_validate(CommandContext& ctx, const CvArgs& a) {
  auto params = recipe_params(a.recipe);
  if (!params.ok()) return report_usage_error(params.status().message());
  json cv = json::object();
  for (const auto& [key, value] :
       {std::pair{"strategy", a.strategy}, {"group_column", a.group_column}, {"time_column", a.time_column}}) {
    if (!value.empty()) cv[key] = value;
  }
  for (const auto& [key, value] : {std::pair{"folds", a.folds},
                                   {"seed", a.seed},
                                   {"gap", a.gap},
                                   {"test_size", a.test_size},
                                   {"max_train_size", a.max_train_size}}) {
    if (value) cv[key] = *value;
  }
  if (a.shuffle) cv["shuffle"] = true;
  (*params)["cv"] = cv;
  return submit_job(ctx, "train.cv", *params, a.recipe.cpu_slots, a.recipe.priority, a.recipe.follow);
}

ExitCode compare(CommandContext& ctx, const CompareArgs& a) {
  json params = named_version(a.dataset, "dataset", "version");
  params["a"] = named_version(a.a, "model", "version");
  params["b"] = named_version(a.b, "model", "version");
  if (!a.split_column.empty()) params["split_column"] = a.split_column;
  if (!a.split_value.empty()) params["split_value"] = a.split_value;
  if (!a.metric.empty()) params["metric"] = a.metric;
  if (a.resamples) params["resamples"] = *a.resamples;
  if (a.seed) params["seed"] = *a.seed;
  if (a.confidence) params["confidence"] = *a.confidence;
  return submit_job(ctx, "train.compare", params, a.cpu_slots, std::nullopt, a.follow);
}

// The options of a recipe's rows and parameters, shared by `train xgboost` and `train cv`.
void add_recipe_options(CLI::App* c, TrainArgs& a) {
  c->add_option("--dataset", a.dataset, "The training rows: DATASET or DATASET:VERSION (default latest)")->required();
  c->add_option("--label", a.label, "The label column")->required();
  c->add_option("--features", a.features, "Feature columns (default: every other column)")->delimiter(',');
  c->add_option("--weight-column", a.weight_column, "Per-row weights");
  c->add_option("--param", a.params, "An xgboost parameter, key=value: objective=binary:logistic, eta=0.1, ...");
  c->add_option("--rounds", a.rounds, "Boosting rounds (num_boost_round; default 100)");
  c->add_option("--early-stopping", a.early_stopping, "Stop after this many rounds without improvement");
  c->add_option("--checkpoint-every", a.checkpoint_every, "Rounds between checkpoints (default 10)");
  c->add_option("--cpu-slots", a.cpu_slots, "Threads to train with (the job's CPU slots)");
  c->add_option("--priority", a.priority, "Higher runs first (-1000 to 1000; default 0)");
  c->add_flag("-f,--follow", a.follow, "Show each round and its metrics until it ends (exit 1 unless it succeeded)");
}

// The spec file (network, loss, optimizer, ...) with the flags given on the command line over it.
ExitCode train_torch(CommandContext& ctx, const TorchArgs& a) {
  auto spec = read_spec_file(a.spec);
  if (!spec.ok()) return report_usage_error(spec.status().message());
  if (!spec->is_object()) return report_usage_error(a.spec + " must hold an object (the train.torch spec)");
  json params = *spec;
  if (!a.dataset.empty()) params.update(named_version(a.dataset, "dataset", "version"));
  if (!a.validation.empty()) params["validation"] = named_version(a.validation, "dataset", "version");
  if (!a.features.empty()) params["features"] = a.features;
  for (const auto& [key, value] : {std::pair{"model", a.model},
                                   {"label", a.label},
                                   {"split_column", a.split_column},
                                   {"description", a.description}}) {
    if (!value.empty()) params[key] = value;
  }
  for (const auto& [key, value] : {std::pair{"epochs", a.epochs},
                                   {"batch_size", a.batch_size},
                                   {"seed", a.seed},
                                   {"checkpoint_every", a.checkpoint_every}}) {
    if (value) params[key] = *value;
  }
  return submit_job(ctx, "train.torch", params, a.cpu_slots, a.priority, a.follow);
}

ExitCode evaluate(CommandContext& ctx, const EvaluateArgs& a) {
  json params = named_version(a.dataset, "dataset", "version");
  json model = named_version(a.model, "model", "model_version");
  params.update(model);
  if (!a.split_column.empty()) params["split_column"] = a.split_column;
  if (!a.split_value.empty()) params["split_value"] = a.split_value;
  return submit_job(ctx, "train.evaluate", params, a.cpu_slots, std::nullopt, a.follow);
}

}  // namespace

void add_train_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* train = app.add_subcommand("train", "Train and evaluate models as jobs (docs/TRAINING.md)");
  train->require_subcommand(1);
  {
    auto a = std::make_shared<TrainArgs>();
    CLI::App* c = train->add_subcommand("xgboost", "Train an XGBoost model on a dataset version and register it");
    c->add_option("--model", a->model, "The model the trained version is registered under (created if missing)")
        ->required();
    add_recipe_options(c, *a);
    c->add_option("--validation", a->validation, "Validation rows: DATASET[:VERSION] (early stopping watches them)");
    c->add_option("--split-column", a->split_column,
                  "Train on rows whose value here is 'train', validate on 'validation' (instead of --validation)");
    c->add_option("--group-column", a->group_column, "The query of each row (rank:pairwise, rank:ndcg)");
    c->add_option("--description", a->description, "The version's description");
    on_run(c, selection, [a](CommandContext& ctx) { return train_xgboost(ctx, *a); });
  }
  {
    auto a = std::make_shared<TorchArgs>();
    CLI::App* c = train->add_subcommand("torch", "Train a neural network (LibTorch) from a spec and register it");
    c->add_option("--spec", a->spec,
                  "The train.torch spec, JSON or YAML: network, loss, optimizer, ... "
                  "(the flags below override its fields)")
        ->required();
    c->add_option("--model", a->model, "The model the trained version is registered under (created if missing)");
    c->add_option("--dataset", a->dataset, "The training rows: DATASET or DATASET:VERSION (default latest)");
    c->add_option("--label", a->label, "The label column");
    c->add_option("--validation", a->validation, "Validation rows: DATASET[:VERSION]");
    c->add_option("--split-column", a->split_column,
                  "Train on rows whose value here is 'train', validate on 'validation' (instead of --validation)");
    c->add_option("--features", a->features, "Feature columns (default: every other numeric column)")->delimiter(',');
    c->add_option("--epochs", a->epochs, "Passes over the training rows");
    c->add_option("--batch-size", a->batch_size, "Rows per optimizer step");
    c->add_option("--seed", a->seed, "Seeds the initial weights, the shuffle and dropout");
    c->add_option("--checkpoint-every", a->checkpoint_every, "Optimizer steps between checkpoints (default 100)");
    c->add_option("--description", a->description, "The version's description");
    c->add_option("--cpu-slots", a->cpu_slots, "Threads to train with (the job's CPU slots)");
    c->add_option("--priority", a->priority, "Higher runs first (-1000 to 1000; default 0)");
    c->add_flag("-f,--follow", a->follow, "Show each epoch and its metrics until it ends (exit 1 unless it succeeded)");
    on_run(c, selection, [a](CommandContext& ctx) { return train_torch(ctx, *a); });
  }
  {
    auto a = std::make_shared<CvArgs>();
    CLI::App* c = train->add_subcommand("cv", "Cross-validate an XGBoost recipe on a dataset version (as xgb.cv)");
    add_recipe_options(c, a->recipe);
    c->add_option("--strategy", a->strategy, "kfold (default), stratified, group or timeseries");
    c->add_option("--folds", a->folds, "Number of folds (default 5)");
    c->add_flag("--shuffle", a->shuffle, "Shuffle rows before splitting (kfold, stratified), with --seed");
    c->add_option("--seed", a->seed, "The shuffle's seed (numpy's RandomState: the folds sklearn makes)");
    c->add_option("--cv-group-column", a->group_column, "The group of each row (group strategy)");
    c->add_option("--time-column", a->time_column, "The column that orders the rows (timeseries strategy)");
    c->add_option("--gap", a->gap, "Rows left out between training and test rows (timeseries)");
    c->add_option("--test-size", a->test_size, "Rows per test fold (timeseries; default rows / (folds + 1))");
    c->add_option("--max-train-size", a->max_train_size, "At most this many training rows (timeseries)");
    on_run(c, selection, [a](CommandContext& ctx) { return cross_validate(ctx, *a); });
  }
  {
    auto a = std::make_shared<CompareArgs>();
    CLI::App* c = train->add_subcommand("compare", "Compare two model versions on one holdout (paired bootstrap)");
    c->add_option("a", a->a, "Model A: MODEL or MODEL:VERSION")->required();
    c->add_option("b", a->b, "Model B: MODEL or MODEL:VERSION")->required();
    c->add_option("--dataset", a->dataset, "The holdout rows: DATASET or DATASET:VERSION")->required();
    c->add_option("--split-column", a->split_column, "Compare only on rows whose value here is --split-value");
    c->add_option("--split-value", a->split_value, "With --split-column (default test)");
    c->add_option("--metric", a->metric, "The metric compared (default roc_auc, accuracy or rmse by task)");
    c->add_option("--resamples", a->resamples, "Bootstrap resamples (default 1000)");
    c->add_option("--seed", a->seed, "The resamples' seed (default 0)");
    c->add_option("--confidence", a->confidence, "The interval's confidence level (default 0.95)");
    c->add_option("--cpu-slots", a->cpu_slots, "Threads to predict with");
    c->add_flag("-f,--follow", a->follow, "Show its progress until it ends (exit 1 unless it succeeded)");
    on_run(c, selection, [a](CommandContext& ctx) { return compare(ctx, *a); });
  }
  {
    auto a = std::make_shared<EvaluateArgs>();
    CLI::App* c = train->add_subcommand("evaluate", "Evaluate a trained model version on a holdout dataset version");
    c->add_option("--model", a->model, "MODEL or MODEL:VERSION (default latest)")->required();
    c->add_option("--dataset", a->dataset, "The holdout rows: DATASET or DATASET:VERSION")->required();
    c->add_option("--split-column", a->split_column, "Evaluate only rows whose value here is --split-value");
    c->add_option("--split-value", a->split_value, "With --split-column (default test)");
    c->add_option("--cpu-slots", a->cpu_slots, "Threads to predict with");
    c->add_flag("-f,--follow", a->follow, "Show its progress until it ends (exit 1 unless it succeeded)");
    on_run(c, selection, [a](CommandContext& ctx) { return evaluate(ctx, *a); });
  }
}

}  // namespace maas::cli
