// `maas sources ...`: register, list, show and delete sources, push rows to a push source and snapshot a source
// into a dataset (docs/DATA.md). A password is read from an environment variable or stdin, never the command line.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "cli/api_client.h"
#include "cli/commands.h"
#include "cli/table.h"
#include "cli/url.h"

namespace maas::cli {

namespace {

using nlohmann::json;

std::string source_path(const std::string& name) { return "/api/v1/sources/" + percent_encode(name); }

std::string render_sources(const json& body) {
  Table table({"NAME", "KIND", "CONFIG", "UPDATED"});
  const json sources = body.contains("sources") ? body["sources"] : json::array({body});
  for (const auto& s : sources) {
    table.add_row({field_text(s, "name"), field_text(s, "kind"), s.value("config", json::object()).dump(),
                   format_timestamp(field_text(s, "updated_at"))});
  }
  return table.render();
}

struct CreateArgs {
  std::string name;
  std::string kind;
  std::string config = "{}";
  std::string description;
  std::string password_env;
  bool password_stdin = false;
};

ExitCode create(CommandContext& ctx, const CreateArgs& a) {
  json config = json::parse(a.config, nullptr, /*allow_exceptions=*/false);
  if (!config.is_object()) return report_usage_error("--config must be a JSON object");
  if (!a.password_env.empty()) {
    const char* value = std::getenv(a.password_env.c_str());
    if (!value) return report_usage_error("the environment variable " + a.password_env + " is not set");
    config["password"] = value;
  } else if (a.password_stdin) {
    std::string line;
    std::getline(std::cin, line);
    config["password"] = line;
  }
  json body = {{"name", a.name}, {"kind", a.kind}, {"config", config}};
  if (!a.description.empty()) body["description"] = a.description;
  auto created = ctx.api.post("/api/v1/sources", body);
  if (!created.ok()) return report_failure(created.status());
  print_result(ctx, *created, render_sources);
  return ExitCode::kOk;
}

// A JSON Lines file's rows, sent as one body.
ExitCode push(CommandContext& ctx, const std::string& name, const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return report_usage_error("cannot open " + file);
  std::ostringstream text;
  text << in.rdbuf();
  auto response =
      ctx.api.http().send(HttpMethod::kPost, source_path(name) + "/rows", "application/x-ndjson", text.str());
  if (!response.ok()) return report_failure(response.status());
  auto answer = decode_response(*response);
  if (!answer.ok()) return report_failure(answer.status());
  print_result(ctx, *answer, [](const json& j) { return "appended " + field_text(j, "appended") + " rows\n"; });
  return ExitCode::kOk;
}

}  // namespace

void add_source_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* sources = app.add_subcommand("sources", "Register sources, push rows and snapshot them into datasets");
  sources->require_subcommand(1);
  {
    CLI::App* c = sources->add_subcommand("list", "List sources");
    on_run(c, selection, [](CommandContext& ctx) { return get_and_print(ctx, "/api/v1/sources", render_sources); });
  }
  {
    auto name = std::make_shared<std::string>();
    CLI::App* c = sources->add_subcommand("show", "Show a source (a password shows as set or unset)");
    c->add_option("name", *name, "The source")->required();
    on_run(c, selection,
           [name](CommandContext& ctx) { return get_and_print(ctx, source_path(*name), render_sources); });
  }
  {
    auto a = std::make_shared<CreateArgs>();
    CLI::App* c = sources->add_subcommand("create", "Register a source");
    c->add_option("name", a->name, "The source's name")->required();
    c->add_option("--kind", a->kind, "files, sqlite, postgres, logs, push or tail")->required();
    c->add_option("--config", a->config, "The kind's settings as a JSON object (docs/DATA.md)");
    c->add_option("--description", a->description, "What it is");
    c->add_option("--password-env", a->password_env, "Read the password from this environment variable");
    c->add_flag("--password-stdin", a->password_stdin, "Read the password from the first line of stdin");
    on_run(c, selection, [a](CommandContext& ctx) { return create(ctx, *a); });
  }
  {
    auto name = std::make_shared<std::string>();
    CLI::App* c = sources->add_subcommand("delete", "Delete a source (its datasets stay)");
    c->add_option("name", *name, "The source")->required();
    on_run(c, selection, [name](CommandContext& ctx) {
      if (Status s = ctx.api.remove(source_path(*name)); !s.ok()) return report_failure(s);
      print_done(ctx, "deleted source '" + *name + "'");
      return ExitCode::kOk;
    });
  }
  {
    auto name = std::make_shared<std::string>(), file = std::make_shared<std::string>();
    CLI::App* c = sources->add_subcommand("push", "Append the rows of a JSON Lines file to a push source");
    c->add_option("name", *name, "The push source")->required();
    c->add_option("file", *file, "A JSON Lines file, one object per line")->required();
    on_run(c, selection, [name, file](CommandContext& ctx) { return push(ctx, *name, *file); });
  }
  add_snapshot_command(sources, selection);
}

}  // namespace maas::cli
