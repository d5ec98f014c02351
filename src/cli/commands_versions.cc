// `maas versions list|show|update|delete` (and `download`, in download.cc): the versions of a model.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/url.h"

namespace maas::cli {
namespace {

using nlohmann::json;

constexpr const char* kRefHelp = "Version number, alias or 'latest' (or give MODEL@REF as one argument)";
constexpr const char* kStateHelp = "Lifecycle state: registered, ready or retired";

// MODEL REF, or MODEL@REF as one argument.
struct TargetArgs {
  std::string model;
  std::optional<std::string> ref;
  std::string ref_text;
  CLI::Option* ref_option = nullptr;

  void add_to(CLI::App& command) {
    command.add_option("model", model, "Model name, or MODEL@REF")->required();
    ref_option = command.add_option("ref", ref_text, kRefHelp);
  }
  Result<VersionTarget> target() const {
    return parse_version_target(model, ref_option->count() > 0 ? std::optional(ref_text) : std::nullopt);
  }
};

struct ListArgs {
  std::string model;
  std::string state;
};

struct UpdateArgs {
  TargetArgs target;
  std::string state;
  std::string reason;
  std::string description;
  CLI::Option* state_option = nullptr;
  CLI::Option* reason_option = nullptr;
  CLI::Option* description_option = nullptr;
  std::vector<std::string> tags;
  std::vector<std::string> metrics;
};

ExitCode run_list(CommandContext& context, const ListArgs& args) {
  std::string base = versions_path(args.model);
  if (!args.state.empty()) append_query(base, "state", args.state);

  // Versions of one model are few enough to show them all, so pages are always followed.
  json versions = json::array();
  std::string page_token;
  while (true) {
    std::string path = base;
    if (!page_token.empty()) append_query(path, "page_token", page_token);
    auto page = context.api.get(path);
    if (!page.ok()) return report_failure(page.status());
    if (page->contains("versions") && (*page)["versions"].is_array()) {
      for (auto& version : (*page)["versions"]) versions.push_back(version);
    }
    const json next = page->contains("next_page_token") ? (*page)["next_page_token"] : json();
    std::string next_token = next.is_string() ? next.get<std::string>() : "";
    if (next_token.empty()) break;
    if (next_token == page_token) return report_failure(internal_error("the server repeated the page token"));
    page_token = std::move(next_token);
  }
  if (context.output == OutputFormat::kJson) {
    std::cout << render_json(json{{"versions", versions}});
  } else {
    std::cout << render_versions_table(versions);
  }
  return ExitCode::kOk;
}

ExitCode run_show(CommandContext& context, const TargetArgs& args) {
  auto target = args.target();
  if (!target.ok()) return report_usage_error(target.status().message());
  auto version = context.api.get(version_path(target->model, target->ref));
  if (!version.ok()) return report_failure(version.status());
  print_result(context, *version, render_version_details);
  return ExitCode::kOk;
}

ExitCode run_update(CommandContext& context, const UpdateArgs& args) {
  auto target = args.target.target();
  if (!target.ok()) return report_usage_error(target.status().message());
  auto tags = parse_tags(args.tags);
  if (!tags.ok()) return report_usage_error(tags.status().message());
  auto metrics = parse_metrics(args.metrics);
  if (!metrics.ok()) return report_usage_error(metrics.status().message());

  json body = json::object();
  if (args.state_option->count() > 0) body["state"] = args.state;
  if (args.reason_option->count() > 0) body["reason"] = args.reason;
  if (args.description_option->count() > 0) body["description"] = args.description;
  if (!args.tags.empty()) body["tags"] = *tags;
  if (!args.metrics.empty()) body["metrics"] = *metrics;
  if (body.empty()) {
    return report_usage_error("nothing to update: pass --state, --description, --tag or --metric");
  }
  if (body.size() == 1 && body.contains("reason")) {
    return report_usage_error("--reason explains a state change: pass --state too");
  }
  auto version = context.api.patch(version_path(target->model, target->ref), body);
  if (!version.ok()) return report_failure(version.status());
  print_result(context, *version, render_version_details);
  return ExitCode::kOk;
}

ExitCode run_delete(CommandContext& context, const TargetArgs& args) {
  auto target = args.target();
  if (!target.ok()) return report_usage_error(target.status().message());
  if (Status status = context.api.remove(version_path(target->model, target->ref)); !status.ok()) {
    return report_failure(status);
  }
  print_done(context, "deleted version " + target->ref + " of model '" + target->model + "'");
  return ExitCode::kOk;
}

}  // namespace

void add_version_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* versions = app.add_subcommand("versions", "List, show, update, delete and download model versions");
  versions->require_subcommand(1);

  {
    auto args = std::make_shared<ListArgs>();
    CLI::App* command = versions->add_subcommand("list", "List the versions of a model, newest first");
    command->alias("ls");
    command->add_option("model", args->model, "Model name")->required();
    command->add_option("--state", args->state, "Only versions in this state (registered, ready, retired)");
    command->callback([&selection, args] {
      selection.action = [args](CommandContext& context) { return run_list(context, *args); };
    });
  }
  {
    auto args = std::make_shared<TargetArgs>();
    CLI::App* command = versions->add_subcommand("show", "Show one version with its signature and history");
    args->add_to(*command);
    command->callback([&selection, args] {
      selection.action = [args](CommandContext& context) { return run_show(context, *args); };
    });
  }
  {
    auto args = std::make_shared<UpdateArgs>();
    CLI::App* command = versions->add_subcommand(
        "update", "Change a version's state, description, tags or metrics (each one given replaces the old)");
    args->target.add_to(*command);
    args->state_option = command->add_option("--state", args->state, kStateHelp);
    args->reason_option = command->add_option("--reason", args->reason, "Why the state changes (kept in its history)");
    args->description_option = command->add_option("--description", args->description, "New description");
    command->add_option("--tag", args->tags, "Tag as key=value (repeatable); replaces all tags")
        ->allow_extra_args(false);
    command->add_option("--metric", args->metrics, "Metric as key=number (repeatable); replaces all metrics")
        ->allow_extra_args(false);
    command->callback([&selection, args] {
      selection.action = [args](CommandContext& context) { return run_update(context, *args); };
    });
  }
  {
    auto args = std::make_shared<TargetArgs>();
    CLI::App* command = versions->add_subcommand("delete", "Delete a version (refused while an alias points at it)");
    command->alias("rm");
    args->add_to(*command);
    command->callback([&selection, args] {
      selection.action = [args](CommandContext& context) { return run_delete(context, *args); };
    });
  }
  add_download_command(*versions, selection);
}

}  // namespace maas::cli
