// maas-data: the data library on the command line, over files, with JSON on stdout. For tests and benches that drive
// the library without maasd, and the shape of the job executor's calls. Exit 0 with the result, 1 with
// {"error": {"code", "message"}} on stderr, 2 on a usage error.
//
// Test hook: MAAS_DATA_KILL_AT=<stage> makes `datasets import` kill itself (SIGKILL) when the import reaches that
// stage (imported, profiled, stored, recorded), so crash safety can be tested at each step.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "common/status.h"
#include "data/tool/commands.h"

namespace maas::data::tool {
namespace {

using nlohmann::json;

std::vector<std::string> split_columns(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

int report(const Result<json>& result) {
  if (!result.ok()) {
    json error = {{"error", {{"code", status_code_name(result.status().code())}, {"message", result.status().message()}}}};
    std::cerr << error.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    return 1;
  }
  std::cout << result->dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  return 0;
}

int run(int argc, char** argv) {
  CLI::App app{"maas-data: import, profile, preview and export tables with maas's data engine", "maas-data"};
  app.require_subcommand(1);
  app.fallthrough();
  EngineFlags engine;
  app.add_option("--memory-limit", engine.memory_limit, "The engine's memory limit (e.g. 512MiB); past it, it spills")
      ->capture_default_str();
  app.add_option("--threads", engine.threads, "Engine threads (0: one per core)")->check(CLI::Range(0, 1024));
  app.add_option("--temp-dir", engine.temp_dir, "Where the engine spills (default: the system temp dir)");

  std::function<Result<json>()> action;

  ImportArgs import;
  auto* import_cmd = app.add_subcommand("import", "A CSV, TSV, JSONL or Parquet file -> a Parquet snapshot + schema");
  import_cmd->add_option("input", import.input, "The file to import")->required();
  import_cmd->add_option("--snapshot", import.snapshot, "The Parquet file to write")->required();
  import_cmd->add_option("--rejects", import.rejects, "Where rejected rows go (default: <snapshot>.rejects.parquet)");
  import_cmd->add_option("--format", import.format, "csv, tsv, jsonl or parquet (default: from the extension)");
  import_cmd->add_option("--options", import.options_json, "Import options as a JSON object (see docs/DATA.md)");
  import_cmd->add_flag("--profile", import.profile, "Also profile the snapshot");
  import_cmd->callback([&] { action = [&] { return run_import(engine, import); }; });

  std::filesystem::path snapshot;
  ProfileOptions profile;
  auto* profile_cmd = app.add_subcommand("profile", "Per-column profile of a Parquet snapshot");
  profile_cmd->add_option("snapshot", snapshot, "A Parquet file")->required();
  profile_cmd->add_option("--top-values", profile.top_values)->capture_default_str();
  profile_cmd->add_option("--bins", profile.histogram_bins)->capture_default_str();
  profile_cmd->callback([&] { action = [&] { return run_profile(engine, snapshot, profile); }; });

  PreviewOptions preview;
  std::string columns;
  auto* preview_cmd = app.add_subcommand("preview", "A page of a Parquet snapshot's rows as JSON");
  preview_cmd->add_option("snapshot", snapshot, "A Parquet file")->required();
  preview_cmd->add_option("--offset", preview.offset)->capture_default_str();
  preview_cmd->add_option("--limit", preview.limit)->capture_default_str();
  preview_cmd->add_option("--columns", columns, "Comma-separated column names (default: all)");
  preview_cmd->callback([&] {
    preview.columns = split_columns(columns);
    action = [&] { return run_preview(engine, snapshot, preview); };
  });

  ExportOptions export_options;
  std::string export_format = "csv";
  std::filesystem::path out;
  auto* export_cmd = app.add_subcommand("export", "A Parquet snapshot as CSV or JSON Lines");
  export_cmd->add_option("snapshot", snapshot, "A Parquet file")->required();
  export_cmd->add_option("--format", export_format, "csv or jsonl")->capture_default_str();
  export_cmd->add_option("--out", out, "The file to write")->required();
  export_cmd->add_option("--columns", columns, "Comma-separated column names (default: all)");
  export_cmd->callback([&] {
    export_options.columns = split_columns(columns);
    action = [&]() -> Result<json> {
      MAAS_ASSIGN_OR_RETURN(export_options.format, parse_export_format(export_format));
      return run_export(engine, snapshot, export_options, out);
    };
  });

  RegistryArgs registry;
  std::string registry_command;
  auto* datasets = app.add_subcommand("datasets", "The dataset registry of a maas data directory");
  datasets->add_option("--data-dir", registry.data_dir, "maasd's data directory")->required();
  datasets->require_subcommand(1);
  auto add = [&](const char* name, const char* help) {
    auto* cmd = datasets->add_subcommand(name, help);
    cmd->add_option("dataset", registry.dataset, "Dataset name")->required();
    cmd->callback([&, name] { registry_command = name; });
    return cmd;
  };
  add("create", "Create a dataset")->add_option("--description", registry.description);
  auto* reg_import = add("import", "Import a file as the dataset's next version");
  reg_import->add_option("input", registry.input, "The file to import")->required();
  reg_import->add_option("--format", registry.format, "csv, tsv, jsonl or parquet (default: from the extension)");
  reg_import->add_option("--options", registry.options_json, "Import options as a JSON object");
  add("versions", "List the dataset's versions");
  add("version", "Show a version")->add_option("ref", registry.ref, "Number, alias or latest");
  auto* reg_preview = add("preview", "A page of a version's rows");
  reg_preview->add_option("ref", registry.ref, "Number, alias or latest");
  reg_preview->add_option("--offset", registry.preview.offset);
  reg_preview->add_option("--limit", registry.preview.limit);
  reg_preview->add_option("--columns", columns);
  auto* reg_export = add("export", "Write a version as Parquet, CSV or JSON Lines");
  reg_export->add_option("ref", registry.ref, "Number, alias or latest");
  reg_export->add_option("--format", registry.export_format, "parquet, csv or jsonl");
  reg_export->add_option("--out", registry.out, "The file to write")->required();
  reg_export->add_option("--columns", columns);
  datasets->callback([&] {
    registry.preview.columns = split_columns(columns);
    registry.export_options.columns = registry.preview.columns;
    if (const char* kill_at = std::getenv("MAAS_DATA_KILL_AT"); kill_at != nullptr) {
      std::string stage = kill_at;
      registry.on_stage = [stage](std::string_view at) {
        if (at == stage) std::raise(SIGKILL);
      };
    }
    action = [&] { return run_registry(engine, registry_command, registry); };
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  if (!action) return 2;
  return report(action());
}

}  // namespace
}  // namespace maas::data::tool

int main(int argc, char** argv) {
  try {
    return maas::data::tool::run(argc, argv);
  } catch (const std::exception& e) {
    nlohmann::json error = {{"error", {{"code", "INTERNAL"}, {"message", std::string("unexpected: ") + e.what()}}}};
    std::cerr << error.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 1;
  }
}
