// `maas alias set|rm|show`: named pointers from a model to one of its versions.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "cli/arguments.h"
#include "cli/commands.h"

namespace maas::cli {
namespace {

using nlohmann::json;

struct AliasArgs {
  std::string model;
  std::string alias;
  std::string version;
};

ExitCode run_set(CommandContext& context, const AliasArgs& args) {
  auto version = parse_version_argument(args.version);
  if (!version.ok()) return report_usage_error(version.status().message());
  auto alias = context.api.put(alias_path(args.model, args.alias), json{{"version", *version}});
  if (!alias.ok()) return report_failure(alias.status());
  print_result(context, *alias, render_alias_table);
  return ExitCode::kOk;
}

ExitCode run_show(CommandContext& context, const AliasArgs& args) {
  auto alias = context.api.get(alias_path(args.model, args.alias));
  if (!alias.ok()) return report_failure(alias.status());
  print_result(context, *alias, render_alias_table);
  return ExitCode::kOk;
}

ExitCode run_remove(CommandContext& context, const AliasArgs& args) {
  if (Status status = context.api.remove(alias_path(args.model, args.alias)); !status.ok()) {
    return report_failure(status);
  }
  print_done(context, "removed alias '" + args.alias + "' of model '" + args.model + "'");
  return ExitCode::kOk;
}

CLI::App* add_alias_subcommand(CLI::App& parent, const char* name, const char* description, AliasArgs& args) {
  CLI::App* command = parent.add_subcommand(name, description);
  command->add_option("model", args.model, "Model name")->required();
  command->add_option("alias", args.alias, "Alias name (not all digits; 'latest' is reserved)")->required();
  return command;
}

}  // namespace

void add_alias_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* aliases = app.add_subcommand("alias", "Set, show and remove aliases (name@alias)");
  aliases->require_subcommand(1);

  {
    auto args = std::make_shared<AliasArgs>();
    CLI::App* command =
        add_alias_subcommand(*aliases, "set", "Point an alias at a version (moves it if it exists)", *args);
    command->add_option("version", args->version, "Version number")->required();
    command->callback(
        [&selection, args] { selection.action = [args](CommandContext& context) { return run_set(context, *args); }; });
  }
  {
    auto args = std::make_shared<AliasArgs>();
    CLI::App* command = add_alias_subcommand(*aliases, "rm", "Remove an alias (the version stays)", *args);
    command->alias("delete");
    command->callback([&selection, args] {
      selection.action = [args](CommandContext& context) { return run_remove(context, *args); };
    });
  }
  {
    auto args = std::make_shared<AliasArgs>();
    CLI::App* command = add_alias_subcommand(*aliases, "show", "Show which version an alias points at", *args);
    command->callback([&selection, args] {
      selection.action = [args](CommandContext& context) { return run_show(context, *args); };
    });
  }
}

}  // namespace maas::cli
