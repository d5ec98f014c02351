// `maas load`, `maas unload` and `maas ps`: which model versions the server runs, through the Open Inference
// Protocol's repository and statistics extensions.
#include <CLI/CLI.hpp>
#include <array>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/runtime_output.h"

namespace maas::cli {
namespace {

using nlohmann::json;

// Loading starts worker processes, reads the artifact and warms each instance up; the server bounds it itself.
constexpr std::chrono::minutes kLoadResponseTimeout{15};

// A numeric deployment setting: its flag, its key in parameters.config, and what the user gave.
struct ConfigFlag {
  const char* flag;
  const char* key;
  const char* help;
  int64_t value = 0;
  CLI::Option* option = nullptr;
};

struct LoadArgs {
  std::string model;
  std::string version;
  CLI::Option* version_option = nullptr;
  std::array<ConfigFlag, 8> numbers = {{
      {"--instances", "instances", "Worker processes"},
      {"--threads", "threads", "Intra-op threads per worker"},
      {"--max-batch-size", "max_batch_size", "Rows per batch; 0 or 1 turns dynamic batching off"},
      {"--max-queue-delay-us", "max_queue_delay_us", "How long the oldest request may wait for a fuller batch"},
      {"--max-queue-size", "max_queue_size", "Queued requests before the server answers 503"},
      {"--default-timeout-ms", "default_timeout_ms", "A request's deadline unless it asks for a shorter one"},
      {"--execution-timeout-ms", "execution_timeout_ms", "A batch running longer is a hung worker, killed"},
      {"--memory-limit-bytes", "memory_limit_bytes", "Data limit of each worker (RLIMIT_DATA); 0: the server's default"},
  }};
  std::string preferred_batch_sizes;
  CLI::Option* preferred_option = nullptr;
  bool no_warmup = false;
  bool keep_other_versions = false;
};

struct UnloadArgs {
  std::string model;
  std::string version;
  CLI::Option* version_option = nullptr;
};

std::optional<std::string> given(const CLI::Option* option, const std::string& value) {
  return option->count() > 0 ? std::optional(value) : std::nullopt;
}

ExitCode run_load(CommandContext& context, const LoadArgs& args) {
  auto target = parse_optional_version_target(args.model, given(args.version_option, args.version));
  if (!target.ok()) return report_usage_error(target.status().message());
  json config = json::object();
  for (const ConfigFlag& number : args.numbers) {
    if (number.option->count() > 0) config[number.key] = number.value;
  }
  if (args.preferred_option->count() > 0) {
    auto sizes = parse_positive_int_list(args.preferred_batch_sizes, "--preferred-batch-sizes");
    if (!sizes.ok()) return report_usage_error(sizes.status().message());
    config["preferred_batch_sizes"] = *sizes;
  }
  if (args.no_warmup) config["warmup"] = false;

  json parameters = json::object();
  if (!target->ref.empty()) parameters["version"] = target->ref;
  if (!config.empty()) parameters["config"] = std::move(config);
  if (args.keep_other_versions) parameters["keep_other_versions"] = true;
  auto loaded =
      context.api.post(load_path(target->model), json{{"parameters", std::move(parameters)}}, kLoadResponseTimeout);
  if (!loaded.ok()) return report_failure(loaded.status());
  print_result(context, *loaded, render_load_result);
  return ExitCode::kOk;
}

ExitCode run_unload(CommandContext& context, const UnloadArgs& args) {
  auto target = parse_optional_version_target(args.model, given(args.version_option, args.version));
  if (!target.ok()) return report_usage_error(target.status().message());
  json body = json::object();
  if (!target->ref.empty()) body["parameters"] = {{"version", target->ref}};
  auto unloaded = context.api.post(unload_path(target->model), body, kLoadResponseTimeout);
  if (!unloaded.ok()) return report_failure(unloaded.status());
  print_done(context, target->ref.empty() ? "unloaded model '" + target->model + "'"
                                          : "unloaded version " + target->ref + " of model '" + target->model + "'");
  return ExitCode::kOk;
}

ExitCode run_ps(CommandContext& context) {
  auto index = context.api.post(kRepositoryIndexPath, json::object());
  if (!index.ok()) return report_failure(index.status());
  auto stats = context.api.get(kModelStatsPath);
  if (!stats.ok()) return report_failure(stats.status());
  // Memory is a nicety: a server that hides its metrics still gets a listing, with "-" for memory.
  std::optional<std::vector<MetricSample>> memory;
  auto metrics = context.api.http().send(HttpMethod::kGet, kMetricsPath);
  if (metrics.ok() && metrics->status == 200) memory = parse_metric_samples(metrics->body, kWorkerMemoryMetric);

  const json versions = loaded_versions(*index, *stats, memory ? &*memory : nullptr);
  if (context.output == OutputFormat::kJson) {
    std::cout << render_json(json{{"loaded", versions}});
  } else {
    std::cout << render_loaded_versions_table(versions);
  }
  return ExitCode::kOk;
}

}  // namespace

void add_runtime_commands(CLI::App& app, CommandSelection& selection) {
  constexpr const char* kVersionHelp = "Version number or alias (or give MODEL@REF)";
  {
    auto args = std::make_shared<LoadArgs>();
    CLI::App* command =
        app.add_subcommand("load", "Load a model version into worker processes (the latest unless a version is given)");
    command->add_option("model", args->model, "Model name, or MODEL@REF")->required();
    args->version_option = command->add_option("--version", args->version, kVersionHelp);
    for (ConfigFlag& number : args->numbers)
      number.option = command->add_option(number.flag, number.value, number.help);
    args->preferred_option = command->add_option("--preferred-batch-sizes", args->preferred_batch_sizes,
                                                 "Batch sizes to dispatch at once, like 4,8");
    command->add_flag("--no-warmup", args->no_warmup, "Mark it ready without a warm-up request per instance");
    command->add_flag("--keep-other-versions", args->keep_other_versions,
                      "Keep the model's other loaded versions (by default they are unloaded)");
    command->callback([&selection, args] {
      selection.action = [args](CommandContext& context) { return run_load(context, *args); };
    });
  }
  {
    auto args = std::make_shared<UnloadArgs>();
    CLI::App* command = app.add_subcommand("unload", "Unload a model's loaded versions, or only the one given");
    command->add_option("model", args->model, "Model name, or MODEL@REF")->required();
    args->version_option = command->add_option("--version", args->version, kVersionHelp);
    command->callback([&selection, args] {
      selection.action = [args](CommandContext& context) { return run_unload(context, *args); };
    });
  }
  app.add_subcommand("ps", "List the loaded model versions with their state, workers, memory and inferences")
      ->callback([&selection] { selection.action = run_ps; });
}

}  // namespace maas::cli
