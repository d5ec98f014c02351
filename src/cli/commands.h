// The subcommands of `maas`. Each commands_*.cc file adds its commands to the CLI11 app; parsing only records
// which action the command line chose, and main runs it once the global options have built the client.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "cli/api_client.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace CLI {
class App;
}  // namespace CLI

namespace maas::cli {

// What every command runs with. The client holds the one connection of this invocation.
struct CommandContext {
  ApiClient& api;
  OutputFormat output = OutputFormat::kTable;
};

using CommandAction = std::function<ExitCode(CommandContext&)>;

// Filled by the subcommand callbacks during parsing; empty when no runnable command was given.
struct CommandSelection {
  CommandAction action;
};

void add_model_commands(CLI::App& app, CommandSelection& selection);
// Under `models`: validation-policy set|get|delete, validate.
void add_validation_commands(CLI::App& models, CommandSelection& selection);
void add_version_commands(CLI::App& app, CommandSelection& selection);
void add_download_command(CLI::App& versions, CommandSelection& selection);
void add_alias_commands(CLI::App& app, CommandSelection& selection);
void add_upload_command(CLI::App& app, CommandSelection& selection);
void add_system_commands(CLI::App& app, CommandSelection& selection);
void add_runtime_commands(CLI::App& app, CommandSelection& selection);
void add_infer_command(CLI::App& app, CommandSelection& selection);
void add_logs_command(CLI::App& app, CommandSelection& selection);
void add_llm_commands(CLI::App& app, CommandSelection& selection);
void add_gateway_commands(CLI::App& app, CommandSelection& selection);
void add_job_commands(CLI::App& app, CommandSelection& selection);
void add_dataset_commands(CLI::App& app, CommandSelection& selection);
void add_source_commands(CLI::App& app, CommandSelection& selection);
void add_rule_commands(CLI::App& app, CommandSelection& selection);
void add_train_commands(CLI::App& app, CommandSelection& selection);
// `maas predict batch` (commands_predict.cc).
void add_predict_commands(CLI::App& app, CommandSelection& selection);
// `maas compress gguf|xgboost` (commands_compress.cc).
void add_compress_commands(CLI::App& app, CommandSelection& selection);
// `maas datasets clean|split|drift`, jobs followed to their end (commands_prep.cc).
void add_prep_commands(CLI::App* datasets, CommandSelection& selection);
void add_pipeline_commands(CLI::App& app, CommandSelection& selection);
// `maas features search` (commands_features.cc).
void add_feature_commands(CLI::App& app, CommandSelection& selection);
// `maas studies ...` (commands_studies.cc).
void add_study_commands(CLI::App& app, CommandSelection& selection);

// POST /api/v1/sources/{source}/snapshot, then (watching) the job's progress (commands_datasets.cc).
ExitCode snapshot_source(CommandContext& ctx, const std::string& source, const std::string& dataset,
                         const std::string& mode, bool watching);

// `... snapshot SOURCE [--dataset] [--mode] [--watch]` under `parent` (datasets and sources both have it).
void add_snapshot_command(CLI::App* parent, CommandSelection& selection);
// GET `path` and print it with `render` (commands_datasets.cc).
ExitCode get_and_print(CommandContext& ctx, const std::string& path, std::string (*render)(const nlohmann::json&));

// Polls a job until it ends, drawing its progress on stderr, then prints it; exit 1 unless it succeeded
// (commands_jobs.cc).
ExitCode watch_job(CommandContext& ctx, const std::string& id);
// A whole file's bytes; INVALID_ARGUMENT naming it when it cannot be opened (commands_rules.cc).
Result<std::string> read_file(const std::string& path);

// Polls a job until it ends, drawing its progress on stderr, and returns it as it ended (commands_jobs.cc).
Result<nlohmann::json> follow_job(CommandContext& ctx, const std::string& id);
// POSTs `body` to `path`, a route that submits a job (202 with it), then watches the job when `watching`, else
// prints it (commands_jobs.cc).
ExitCode post_job(CommandContext& ctx, const std::string& path, const nlohmann::json& body, bool watching);
// POST /api/v1/jobs with a kind and its params, then watches the job when `watching`, else prints it
// (commands_jobs.cc).
ExitCode submit_job(CommandContext& ctx, const std::string& kind, const nlohmann::json& params,
                    std::optional<int> cpu_slots, std::optional<int> priority, bool watching);

// Streams `file` as the body of POST `path` with a progress bar on stderr (upload.cc); sets the server's answer and
// the SHA-256 (hex) of the bytes sent. Not kOk: the error was reported.
ExitCode upload_with_progress(CommandContext& ctx, const std::string& file, const std::string& path,
                              const std::string& content_type, nlohmann::json& answer, std::string& sha256_hex);

// Makes `run` the action when `command` is the one given on the command line. The callback runs while parsing
// (CLI11 callbacks need the App's headers, so commands call this from their .cc files).
template <typename App, typename Run>
void on_run(App* command, CommandSelection& selection, Run run) {
  command->callback([&selection, run] { selection.action = run; });
}

// Prints `value` on stdout: pretty JSON, or what `render_table` makes of it.
void print_result(const CommandContext& context, const nlohmann::json& value,
                  std::string (*render_table)(const nlohmann::json&));

// Prints a one-line confirmation ("deleted model 'iris'") in table mode; JSON mode prints nothing, since the
// server sent no body to show.
void print_done(const CommandContext& context, std::string_view message);

// Asks `question` on stderr and reads the answer from stdin: true only for "y" or "yes".
bool ask_confirmation(std::string_view question);

// True when stdin is a terminal, so that a question can be answered.
bool stdin_is_terminal();

}  // namespace maas::cli
