// Entry point of `maas`, the command-line client of the maas server: global options, subcommand dispatch, and
// the guarantee that every outcome, exceptions included, ends in a documented exit code.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "cli/api_client.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/http_client.h"
#include "cli/output.h"
#include "cli/url.h"
#include "common/version.h"

namespace maas::cli {
namespace {

constexpr const char* kDefaultServer = "http://127.0.0.1:8080";
constexpr double kDefaultTimeoutSeconds = 30;
// A day: longer is a mistake, and the value must fit in milliseconds.
constexpr double kMaxTimeoutSeconds = 86400;

struct GlobalOptions {
  std::string server = kDefaultServer;
  std::string api_key;
  std::string output = "table";
  double timeout_seconds = kDefaultTimeoutSeconds;
};

ExitCode run(int argc, char** argv) {
  CLI::App app{"maas: the command-line client of the maas model registry and serving platform", "maas"};
  // Lets global options follow the subcommand too: `maas models list --output json`.
  app.fallthrough();
  app.require_subcommand(1);

  GlobalOptions options;
  app.add_option("--server", options.server, "Server URL, http://host:port[/base]")
      ->envname("MAAS_SERVER")
      ->capture_default_str();
  app.add_option("--api-key", options.api_key, "API key, sent as 'Authorization: Bearer KEY'")->envname("MAAS_API_KEY");
  app.add_option("--output", options.output, "Output format on stdout: table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  app.add_option("--timeout", options.timeout_seconds,
                 "Seconds to wait for connecting and for each read or write (a transfer that keeps moving is not cut)")
      ->check(CLI::Range(0.001, kMaxTimeoutSeconds))
      ->capture_default_str();

  CommandSelection selection;
  add_model_commands(app, selection);
  add_upload_command(app, selection);
  add_version_commands(app, selection);
  add_alias_commands(app, selection);
  add_runtime_commands(app, selection);
  add_infer_command(app, selection);
  add_logs_command(app, selection);
  add_llm_commands(app, selection);
  add_system_commands(app, selection);
  add_gateway_commands(app, selection);
  add_job_commands(app, selection);
  add_dataset_commands(app, selection);
  add_source_commands(app, selection);
  add_rule_commands(app, selection);
  add_train_commands(app, selection);
  add_predict_commands(app, selection);
  add_compress_commands(app, selection);
  add_pipeline_commands(app, selection);
  add_feature_commands(app, selection);
  add_study_commands(app, selection);
  // Set after the subcommands so that they do not inherit it: the table belongs on the top-level help only.
  app.footer(kExitCodeHelp);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help is a ParseError that exits 0; every real parse error is a usage error, whatever CLI11 numbers it.
    return app.exit(error) == 0 ? ExitCode::kOk : ExitCode::kUsage;
  }
  if (!selection.action) return report_usage_error("no command given");

  auto server = parse_server_url(options.server);
  if (!server.ok()) return report_usage_error(server.status().message());

  HttpClientOptions http_options;
  http_options.server = *server;
  http_options.api_key = options.api_key;
  http_options.timeout = std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000));
  http_options.user_agent = std::string("maas-cli/") + kVersion;
  HttpClient http(std::move(http_options));
  ApiClient api(http);
  CommandContext context{api, *parse_output_format(options.output)};
  return selection.action(context);
}

}  // namespace
}  // namespace maas::cli

int main(int argc, char** argv) {
  using maas::cli::ExitCode;
  // No exception may end the process with an undocumented status: anything that escapes is a bug, exit 1.
  try {
    return maas::cli::to_int(maas::cli::run(argc, argv));
  } catch (const std::exception& error) {
    std::cerr << "error: unexpected failure: " << error.what() << '\n';
  } catch (...) {
    std::cerr << "error: unexpected failure\n";
  }
  return maas::cli::to_int(ExitCode::kUnexpected);
}
