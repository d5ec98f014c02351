// `maas predict batch ...`: a model version over a dataset version into a new dataset version, as a predict.batch
// job (docs/TRAINING.md, "predict.batch"); with --follow, its progress until it ends. The flags only build the
// job's parameters.
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/job_output.h"

namespace maas::cli {
namespace {

using nlohmann::json;

struct PredictArgs {
  std::string model, version, dataset, into, description;
  std::vector<std::string> columns, features, params;
  std::optional<int64_t> chunk_rows;
  std::optional<int> cpu_slots, priority;
  bool follow = false;
};

ExitCode predict_batch(CommandContext& ctx, const PredictArgs& a) {
  auto parameters = build_job_params("", a.params);
  if (!parameters.ok()) return report_usage_error(std::string(parameters.status().message()));
  json params = named_version(a.dataset, "dataset", "version");
  params.update(named_version(a.version.empty() ? a.model : a.model + ":" + a.version, "model", "model_version"));
  if (!a.into.empty()) params["into"] = a.into;
  if (!a.description.empty()) params["description"] = a.description;
  if (!a.columns.empty()) params["columns"] = a.columns;
  if (!a.features.empty()) params["features"] = a.features;
  if (!parameters->empty()) params["parameters"] = *parameters;
  if (a.chunk_rows) params["chunk_rows"] = *a.chunk_rows;
  return submit_job(ctx, "predict.batch", params, a.cpu_slots, a.priority, a.follow);
}

}  // namespace

void add_predict_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* predict = app.add_subcommand("predict", "Predict with model versions as jobs (docs/TRAINING.md)");
  predict->require_subcommand(1);
  auto a = std::make_shared<PredictArgs>();
  CLI::App* c = predict->add_subcommand("batch", "Predict over a dataset version into a new dataset version");
  c->add_option("model", a->model, "The model")->required();
  c->add_option("version", a->version, "Its version: a number, an alias or latest (default latest)");
  c->add_option("--dataset", a->dataset, "The rows: DATASET or DATASET:VERSION (default latest)")->required();
  c->add_option("--into", a->into, "The dataset the predictions become a version of (default MODEL-predictions)");
  c->add_option("--columns", a->columns, "Input columns copied beside the predictions (an id)")->delimiter(',');
  c->add_option("--features", a->features,
                "The model's input columns in order (default: its attached pipeline's, or those it was trained on)")
      ->delimiter(',');
  c->add_option("--param", a->params, "A backend request parameter k=v (XGBoost: output=margin)");
  c->add_option("--chunk-rows", a->chunk_rows, "Rows per model call (default 4096)");
  c->add_option("--description", a->description, "The new dataset version's description");
  c->add_option("--cpu-slots", a->cpu_slots, "Threads to predict with (the job's CPU slots)");
  c->add_option("--priority", a->priority, "Higher runs first (-1000 to 1000; default 0)");
  c->add_flag("-f,--follow", a->follow, "Show its progress until it ends (exit 1 unless it succeeded)");
  on_run(c, selection, [a](CommandContext& ctx) { return predict_batch(ctx, *a); });
}

}  // namespace maas::cli
