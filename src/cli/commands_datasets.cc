// `maas datasets ...`: list and show datasets and their versions, import a file as a new version (with a progress
// bar), preview rows, and snapshot a source into a dataset (docs/DATA.md).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/table.h"
#include "cli/url.h"

namespace maas::cli {
namespace {

using nlohmann::json;

std::string dataset_path(const std::string& name) { return "/api/v1/datasets/" + percent_encode(name); }

std::string render_datasets(const json& body) {
  Table table({"NAME", "VERSIONS", "LATEST", "UPDATED", "DESCRIPTION"});
  for (const auto& d : body.value("datasets", json::array())) {
    table.add_row({field_text(d, "name"), field_text(d, "version_count"), field_text(d, "latest_version"),
                   format_timestamp(field_text(d, "updated_at")), field_text(d, "description")});
  }
  return table.render();
}

std::string render_versions(const json& body) {
  Table table({"VERSION", "ROWS", "SIZE", "REJECTED", "SOURCE", "CREATED"});
  const json versions = body.is_array() ? body : body.value("versions", json::array());
  for (const auto& v : versions) {
    table.add_row({field_text(v, "version"), field_text(v, "row_count"),
                   format_size(v.value("size_bytes", uint64_t{0})), field_text(v, "rejected_rows"),
                   v.contains("lineage") ? field_text(v["lineage"], "source") : "",
                   format_timestamp(field_text(v, "created_at"))});
  }
  return table.render();
}

std::string render_preview(const json& body) {
  std::vector<std::string> headers;
  for (const auto& c : body.value("columns", json::array()))
    headers.push_back(c.is_object() ? field_text(c, "name") : c.dump());
  Table table(headers);
  for (const auto& row : body.value("rows", json::array())) {
    std::vector<std::string> cells;
    for (const auto& cell : row) cells.push_back(cell.is_string() ? cell.get<std::string>() : cell.dump());
    table.add_row(std::move(cells));
  }
  return table.render();
}

struct ImportArgs {
  std::string file;
  std::string dataset;
  std::string format;
  bool create = true;
};

ExitCode import(CommandContext& ctx, const ImportArgs& a) {
  if (a.create) {
    auto existing = ctx.api.get(dataset_path(a.dataset));
    if (!existing.ok() && existing.status().code() == StatusCode::kNotFound) {
      auto created = ctx.api.post("/api/v1/datasets", json{{"name", a.dataset}});
      if (!created.ok() && created.status().code() != StatusCode::kAlreadyExists)
        return report_failure(created.status());
    } else if (!existing.ok()) {
      return report_failure(existing.status());
    }
  }
  std::string path = dataset_path(a.dataset) + "/versions";
  append_query(path, "filename", std::filesystem::path(a.file).filename().string());
  if (!a.format.empty()) append_query(path, "format", a.format);
  json version;
  std::string sha256_hex;
  if (ExitCode code = upload_with_progress(ctx, a.file, path, "application/octet-stream", version, sha256_hex);
      code != ExitCode::kOk) {
    return code;
  }
  print_result(ctx, version, render_versions);
  return ExitCode::kOk;
}

}  // namespace

ExitCode get_and_print(CommandContext& ctx, const std::string& path, std::string (*render)(const json&)) {
  auto body = ctx.api.get(path);
  if (!body.ok()) return report_failure(body.status());
  print_result(ctx, *body, render);
  return ExitCode::kOk;
}

void add_snapshot_command(CLI::App* parent, CommandSelection& selection) {
  auto source = std::make_shared<std::string>(), dataset = std::make_shared<std::string>(),
       mode = std::make_shared<std::string>();
  auto watching = std::make_shared<bool>(false);
  CLI::App* c = parent->add_subcommand("snapshot", "Snapshot a source into a dataset (a data.snapshot job)");
  c->add_option("source", *source, "The source")->required();
  c->add_option("--dataset,-d", *dataset, "The dataset (default: the source's name)");
  c->add_option("--mode", *mode, "full or incremental (default: incremental when the source has a watermark)");
  c->add_flag("-w,--watch", *watching, "Show its progress until it ends (exit 1 unless it succeeded)");
  on_run(c, selection, [source, dataset, mode, watching](CommandContext& ctx) {
    return snapshot_source(ctx, *source, *dataset, *mode, *watching);
  });
}

ExitCode snapshot_source(CommandContext& ctx, const std::string& source, const std::string& dataset,
                         const std::string& mode, bool watching) {
  json body = json::object();
  if (!dataset.empty()) body["dataset"] = dataset;
  if (!mode.empty()) body["mode"] = mode;
  return post_job(ctx, "/api/v1/sources/" + percent_encode(source) + "/snapshot", body, watching);
}

void add_dataset_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* datasets = app.add_subcommand("datasets", "List, import, preview and snapshot datasets");
  datasets->require_subcommand(1);
  {
    CLI::App* c = datasets->add_subcommand("list", "List datasets");
    on_run(c, selection, [](CommandContext& ctx) { return get_and_print(ctx, "/api/v1/datasets", render_datasets); });
  }
  {
    auto name = std::make_shared<std::string>();
    CLI::App* c = datasets->add_subcommand("show", "Show a dataset's versions");
    c->add_option("name", *name, "The dataset")->required();
    on_run(c, selection, [name](CommandContext& ctx) {
      return get_and_print(ctx, dataset_path(*name) + "/versions", render_versions);
    });
  }
  {
    auto a = std::make_shared<ImportArgs>();
    CLI::App* c = datasets->add_subcommand("import", "Upload a CSV, TSV, JSON Lines or Parquet file as a new version");
    c->add_option("file", a->file, "The file")->required();
    c->add_option("--dataset,-d", a->dataset, "The dataset to add the version to")->required();
    c->add_option("--format", a->format, "csv, tsv, jsonl or parquet (default: from the file's extension)");
    c->add_flag("--create,!--no-create", a->create, "Create the dataset when it does not exist (default)");
    on_run(c, selection, [a](CommandContext& ctx) { return import(ctx, *a); });
  }
  {
    auto name = std::make_shared<std::string>(), version = std::make_shared<std::string>("latest"),
         columns = std::make_shared<std::string>();
    auto offset = std::make_shared<int64_t>(0), limit = std::make_shared<int64_t>(20);
    CLI::App* c = datasets->add_subcommand("preview", "Show rows of a version");
    c->add_option("name", *name, "The dataset")->required();
    c->add_option("--version,-v", *version, "A number, an alias or latest")->capture_default_str();
    c->add_option("--offset", *offset, "The first row")->capture_default_str();
    c->add_option("--limit", *limit, "Rows to show")->capture_default_str();
    c->add_option("--columns", *columns, "Comma-separated columns (default: all)");
    on_run(c, selection, [name, version, columns, offset, limit](CommandContext& ctx) {
      std::string path = dataset_path(*name) + "/versions/" + percent_encode(*version) + "/preview";
      append_query(path, "offset", std::to_string(*offset));
      append_query(path, "limit", std::to_string(*limit));
      if (!columns->empty()) append_query(path, "columns", *columns);
      return get_and_print(ctx, path, render_preview);
    });
  }
  add_snapshot_command(datasets, selection);
  add_prep_commands(datasets, selection);
}

}  // namespace maas::cli
