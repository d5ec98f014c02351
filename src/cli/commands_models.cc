// `maas models create|list|show|update|delete`: the models of the registry (and their validation policies:
// commands_validation.cc).
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

struct CreateArgs {
  std::string name;
  std::string description;
  CLI::Option* description_option = nullptr;
  std::vector<std::string> tags;
};

struct ListArgs {
  std::string prefix;
  std::vector<std::string> tags;
  int limit = 0;
  bool all = false;
};

struct UpdateArgs {
  std::string name;
  std::string description;
  CLI::Option* description_option = nullptr;
  std::vector<std::string> tags;
};

struct DeleteArgs {
  std::string name;
  bool yes = false;
};

ExitCode run_create(CommandContext& context, const CreateArgs& args) {
  auto tags = parse_tags(args.tags);
  if (!tags.ok()) return report_usage_error(tags.status().message());
  json body = {{"name", args.name}};
  if (args.description_option->count() > 0) body["description"] = args.description;
  if (!tags->empty()) body["tags"] = *tags;
  auto model = context.api.post(kModelsPath, body);
  if (!model.ok()) return report_failure(model.status());
  print_result(context, *model, render_model_details);
  return ExitCode::kOk;
}

ExitCode run_list(CommandContext& context, const ListArgs& args) {
  std::string base = std::string(kModelsPath);
  if (!args.prefix.empty()) append_query(base, "prefix", args.prefix);
  for (const auto& tag : args.tags) {
    auto value = tag_filter_query_value(tag);
    if (!value.ok()) return report_usage_error(value.status().message());
    append_query(base, "tag", *value);
  }
  if (args.limit > 0) append_query(base, "limit", std::to_string(args.limit));

  json models = json::array();
  json last_page;
  std::string page_token;
  while (true) {
    std::string path = base;
    if (!page_token.empty()) append_query(path, "page_token", page_token);
    auto page = context.api.get(path);
    if (!page.ok()) return report_failure(page.status());
    if (page->contains("models") && (*page)["models"].is_array()) {
      for (auto& model : (*page)["models"]) models.push_back(model);
    }
    const json& next = page->contains("next_page_token") ? (*page)["next_page_token"] : json();
    std::string next_token = next.is_string() ? next.get<std::string>() : "";
    last_page = std::move(*page);
    if (!args.all || next_token.empty()) break;
    // A server that hands back the same token would otherwise keep this loop going forever.
    if (next_token == page_token) return report_failure(internal_error("the server repeated the page token"));
    page_token = std::move(next_token);
  }

  const bool more = !args.all && last_page.contains("next_page_token") && last_page["next_page_token"].is_string() &&
                    !last_page["next_page_token"].get<std::string>().empty();
  if (context.output == OutputFormat::kJson) {
    std::cout << render_json(args.all ? json{{"models", models}} : last_page);
  } else {
    std::cout << render_models_table(models);
    if (more) std::cerr << "(more models remain: pass --all to list them all)\n";
  }
  return ExitCode::kOk;
}

ExitCode run_show(CommandContext& context, const std::string& name) {
  auto model = context.api.get(model_path(name));
  if (!model.ok()) return report_failure(model.status());
  print_result(context, *model, render_model_details);
  return ExitCode::kOk;
}

ExitCode run_update(CommandContext& context, const UpdateArgs& args) {
  auto tags = parse_tags(args.tags);
  if (!tags.ok()) return report_usage_error(tags.status().message());
  json body = json::object();
  if (args.description_option->count() > 0) body["description"] = args.description;
  if (!args.tags.empty()) body["tags"] = *tags;
  if (body.empty()) return report_usage_error("nothing to update: pass --description and/or --tag");
  auto model = context.api.patch(model_path(args.name), body);
  if (!model.ok()) return report_failure(model.status());
  print_result(context, *model, render_model_details);
  return ExitCode::kOk;
}

ExitCode run_delete(CommandContext& context, const DeleteArgs& args) {
  if (!args.yes) {
    if (!stdin_is_terminal()) {
      return report_usage_error("refusing to delete model '" + args.name +
                                "' without confirmation: stdin is not a terminal; pass --yes");
    }
    // Fetching first lets the question say what would be lost, and an unknown model fails before asking.
    auto model = context.api.get(model_path(args.name));
    if (!model.ok()) return report_failure(model.status());
    const std::string question = "delete model '" + args.name + "' with its " + field_text(*model, "version_count") +
                                 " version(s) and all its aliases?";
    if (!ask_confirmation(question)) return report_local_error("not confirmed; nothing was deleted");
  }
  if (Status status = context.api.remove(model_path(args.name)); !status.ok()) return report_failure(status);
  print_done(context, "deleted model '" + args.name + "'");
  return ExitCode::kOk;
}

}  // namespace

void add_model_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* models = app.add_subcommand("models", "Create, list, show, update and delete models");
  models->require_subcommand(1);

  {
    auto args = std::make_shared<CreateArgs>();
    CLI::App* command = models->add_subcommand("create", "Create a model");
    command->add_option("name", args->name, "Model name: [a-z0-9][a-z0-9._-]{0,62}")->required();
    args->description_option = command->add_option("--description", args->description, "Description");
    command->add_option("--tag", args->tags, "Tag as key=value (repeatable)")->allow_extra_args(false);
    command->callback([&selection, args] {
      selection.action = [args](CommandContext& context) { return run_create(context, *args); };
    });
  }
  {
    auto args = std::make_shared<ListArgs>();
    CLI::App* command = models->add_subcommand("list", "List models, ordered by name");
    command->alias("ls");
    command->add_option("--prefix", args->prefix, "Only models whose name starts with this");
    command
        ->add_option("--tag", args->tags, "Only models with this tag: key, or key=value (repeatable; all must match)")
        ->allow_extra_args(false);
    command->add_option("--limit", args->limit, "Models per page (1-1000; the server's default is 100)")
        ->check(CLI::Range(1, 1000));
    command->add_flag("--all", args->all, "Follow next_page_token and list every page");
    command->callback([&selection, args] {
      selection.action = [args](CommandContext& context) { return run_list(context, *args); };
    });
  }
  {
    auto name = std::make_shared<std::string>();
    CLI::App* command = models->add_subcommand("show", "Show one model");
    command->add_option("name", *name, "Model name")->required();
    command->callback([&selection, name] {
      selection.action = [name](CommandContext& context) { return run_show(context, *name); };
    });
  }
  {
    auto args = std::make_shared<UpdateArgs>();
    CLI::App* command = models->add_subcommand("update", "Change a model's description or tags");
    command->add_option("name", args->name, "Model name")->required();
    args->description_option = command->add_option("--description", args->description, "New description");
    command->add_option("--tag", args->tags, "Tag as key=value (repeatable); replaces all of the model's tags")
        ->allow_extra_args(false);
    command->callback([&selection, args] {
      selection.action = [args](CommandContext& context) { return run_update(context, *args); };
    });
  }
  {
    auto args = std::make_shared<DeleteArgs>();
    CLI::App* command = models->add_subcommand("delete", "Delete a model with all its versions and aliases");
    command->alias("rm");
    command->add_option("name", args->name, "Model name")->required();
    command->add_flag("--yes,-y", args->yes, "Do not ask for confirmation (required when stdin is not a terminal)");
    command->callback([&selection, args] {
      selection.action = [args](CommandContext& context) { return run_delete(context, *args); };
    });
  }
  add_validation_commands(*models, selection);
}

}  // namespace maas::cli
