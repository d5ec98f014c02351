// `maas models validation-policy set|get|delete` and `maas models validate`: a model's validation policy, which a
// version must pass before it becomes ready (docs/TRAINING.md#validation-policies).
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "cli/api_client.h"
#include "cli/commands.h"
#include "cli/job_output.h"
#include "cli/spec_file.h"
#include "cli/url.h"

namespace maas::cli {
namespace {

std::string policy_path(const std::string& model) { return model_path(model) + "/validation-policy"; }

ExitCode run_set(CommandContext& context, const std::string& model, const std::string& file) {
  auto policy = read_spec_file(file);
  if (!policy.ok()) return report_usage_error(policy.status().message());
  auto stored = context.api.put(policy_path(model), *policy);
  if (!stored.ok()) return report_failure(stored.status());
  print_result(context, *stored, render_json);
  return ExitCode::kOk;
}

ExitCode run_get(CommandContext& context, const std::string& model) {
  auto policy = context.api.get(policy_path(model));
  if (!policy.ok()) return report_failure(policy.status());
  print_result(context, *policy, render_json);
  return ExitCode::kOk;
}

ExitCode run_delete(CommandContext& context, const std::string& model) {
  if (Status status = context.api.remove(policy_path(model)); !status.ok()) return report_failure(status);
  print_done(context, "deleted the validation policy of model '" + model + "'");
  return ExitCode::kOk;
}

ExitCode run_validate(CommandContext& context, const std::string& model, const std::string& version) {
  auto job = context.api.post(model_path(model) + "/versions/" + percent_encode(version) + "/validate",
                              nlohmann::json::object());
  if (!job.ok()) return report_failure(job.status());
  print_result(context, *job, render_job_details);
  return ExitCode::kOk;
}

struct PolicyArgs {
  std::string model;
  std::string file;
  std::string version;
};

}  // namespace

void add_validation_commands(CLI::App& models, CommandSelection& selection) {
  CLI::App* policy = models.add_subcommand("validation-policy", "Set, show and delete a model's validation policy");
  policy->require_subcommand(1);
  auto args = std::make_shared<PolicyArgs>();
  CLI::App* set = policy->add_subcommand("set", "Create or replace the policy a version must pass to become ready");
  set->add_option("model", args->model, "Model name")->required();
  set->add_option("--file,-f", args->file, "The policy: JSON or YAML (docs/TRAINING.md#validation-policies)")
      ->required();
  on_run(set, selection, [args](CommandContext& context) { return run_set(context, args->model, args->file); });
  CLI::App* get = policy->add_subcommand("get", "Show the model's validation policy");
  get->alias("show");
  get->add_option("model", args->model, "Model name")->required();
  on_run(get, selection, [args](CommandContext& context) { return run_get(context, args->model); });
  CLI::App* remove = policy->add_subcommand("delete", "Delete the policy (versions then become ready by hand)");
  remove->alias("rm");
  remove->add_option("model", args->model, "Model name")->required();
  on_run(remove, selection, [args](CommandContext& context) { return run_delete(context, args->model); });

  CLI::App* validate = models.add_subcommand("validate", "Validate a version against the model's policy (a job)");
  validate->add_option("model", args->model, "Model name")->required();
  validate->add_option("version", args->version, "Version: a number, an alias or 'latest'")->required();
  on_run(validate, selection,
         [args](CommandContext& context) { return run_validate(context, args->model, args->version); });
}

}  // namespace maas::cli
