// `maas compress ...`: make a smaller version of a model version as a job — GGUF quantization (compress.gguf) or
// XGBoost trimming (compress.xgboost) — and, with --follow, show its progress until it ends (docs/COMPRESSION.md).
// The job system does the work; these commands only build the job's parameters from flags.
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/job_output.h"

namespace maas::cli {
namespace {

using nlohmann::json;

struct GgufArgs {
  std::string model, type, prompt;
  std::optional<int64_t> measure_tokens;
  std::optional<int> cpu_slots;
  bool follow = false;
};

struct XgboostArgs {
  std::string model, dataset, split_column, split_value, metric;
  std::optional<double> tolerance;
  std::optional<int> cpu_slots;
  bool follow = false;
};

ExitCode compress_gguf(CommandContext& ctx, const GgufArgs& a) {
  json params = named_version(a.model, "model", "model_version");
  params["type"] = a.type;
  if (!a.prompt.empty()) params["prompt"] = a.prompt;
  if (a.measure_tokens) params["measure_tokens"] = *a.measure_tokens;
  return submit_job(ctx, "compress.gguf", params, a.cpu_slots, std::nullopt, a.follow);
}

ExitCode compress_xgboost(CommandContext& ctx, const XgboostArgs& a) {
  json params = named_version(a.dataset, "dataset", "version");
  params.update(named_version(a.model, "model", "model_version"));
  for (const auto& [key, value] :
       {std::pair{"split_column", a.split_column}, {"split_value", a.split_value}, {"metric", a.metric}}) {
    if (!value.empty()) params[key] = value;
  }
  if (a.tolerance) params["tolerance"] = *a.tolerance;
  return submit_job(ctx, "compress.xgboost", params, a.cpu_slots, std::nullopt, a.follow);
}

}  // namespace

void add_compress_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* compress =
      app.add_subcommand("compress", "Make a smaller version of a model version as a job (docs/COMPRESSION.md)");
  compress->require_subcommand(1);
  {
    auto a = std::make_shared<GgufArgs>();
    CLI::App* c = compress->add_subcommand("gguf", "Quantize a GGUF version (llama.cpp) into a new version");
    c->add_option("--model", a->model, "MODEL or MODEL:VERSION (default latest)")->required();
    c->add_option("--type", a->type, "Q8_0, Q4_0, Q4_K_M, Q5_K_M, Q6_K, F16, ... (the job refuses others)")->required();
    c->add_option("--measure-tokens", a->measure_tokens, "Greedy tokens generated to time each model (default 32)");
    c->add_option("--prompt", a->prompt, "The prompt those tokens follow");
    c->add_option("--cpu-slots", a->cpu_slots, "Threads to quantize and measure with (the job's CPU slots)");
    c->add_flag("-f,--follow", a->follow, "Show its progress until it ends (exit 1 unless it succeeded)");
    on_run(c, selection, [a](CommandContext& ctx) { return compress_gguf(ctx, *a); });
  }
  {
    auto a = std::make_shared<XgboostArgs>();
    CLI::App* c = compress->add_subcommand(
        "xgboost", "Trim an XGBoost version to the fewest rounds within --tolerance of its best holdout metric");
    c->add_option("--model", a->model, "MODEL or MODEL:VERSION (default latest), trained by train.xgboost")->required();
    c->add_option("--dataset", a->dataset, "The holdout rows: DATASET or DATASET:VERSION")->required();
    c->add_option("--metric", a->metric, "The metric that picks the rounds (default log_loss, rmse or ndcg by task)");
    c->add_option("--tolerance", a->tolerance, "How far from the best value, in the metric's units (default 0)");
    c->add_option("--split-column", a->split_column, "Use only holdout rows whose value here is --split-value");
    c->add_option("--split-value", a->split_value, "With --split-column (default test)");
    c->add_option("--cpu-slots", a->cpu_slots, "Threads to predict with");
    c->add_flag("-f,--follow", a->follow, "Show its progress until it ends (exit 1 unless it succeeded)");
    on_run(c, selection, [a](CommandContext& ctx) { return compress_xgboost(ctx, *a); });
  }
}

}  // namespace maas::cli
