// `maas health` and `maas version`: is the server up, and which versions are talking.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/table.h"
#include "common/version.h"

namespace maas::cli {
namespace {

using nlohmann::json;

ExitCode run_health(CommandContext& context) {
  auto response = context.api.http().send(HttpMethod::kGet, kHealthPath);
  if (!response.ok()) return report_failure(response.status());
  // A draining server answers 503 with `{"status": "draining"}`, not the error shape: show it, then fail.
  const auto body = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (response->status == 503 && body.is_object() && body.contains("status")) {
    print_result(context, body, [](const json& value) { return "status: " + field_text(value, "status") + "\n"; });
    return report_failure(unavailable("the server is " + field_text(body, "status")));
  }
  auto health = decode_response(*response);
  if (!health.ok()) return report_failure(health.status());
  print_result(context, *health, [](const json& value) { return "status: " + field_text(value, "status") + "\n"; });
  return ExitCode::kOk;
}

std::string render_versions(const json& versions) {
  const json& server = versions.at("server");
  std::vector<std::pair<std::string, std::string>> fields = {{"CLIENT", field_text(versions.at("client"), "version")}};
  if (server.is_object()) {
    fields.emplace_back("SERVER", field_text(server, "version"));
    fields.emplace_back("GIT COMMIT", field_text(server, "git_commit"));
    fields.emplace_back("BUILD TYPE", field_text(server, "build_type"));
    fields.emplace_back("STARTED", field_text(server, "started_at"));
    fields.emplace_back("UPTIME", field_text(server, "uptime_seconds") + "s");
  }
  return render_fields(fields);
}

ExitCode run_version(CommandContext& context) {
  json versions = {{"client", {{"name", "maas"}, {"version", kVersion}}}, {"server", nullptr}};
  auto server = context.api.get(kServerVersionPath);
  if (server.ok()) versions["server"] = *server;
  // The client's own version is worth printing even when the server cannot be reached.
  print_result(context, versions, render_versions);
  return server.ok() ? ExitCode::kOk : report_failure(server.status());
}

}  // namespace

void add_system_commands(CLI::App& app, CommandSelection& selection) {
  app.add_subcommand("health", "Check that the server is up (exit 0) or not (exit 6)")->callback([&selection] {
    selection.action = run_health;
  });
  app.add_subcommand("version", "Show the client's version and the server's")->callback([&selection] {
    selection.action = run_version;
  });
}

}  // namespace maas::cli
