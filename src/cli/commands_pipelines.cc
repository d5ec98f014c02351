// `maas pipelines ...`: create a feature pipeline from a spec file, list and show pipelines and their fitted
// versions, fit one on a dataset version (a features.fit job) and transform a dataset version with a fitted version
// into a new one (a features.transform job), following the job live with --watch (docs/FEATURES.md).
#include <CLI/CLI.hpp>
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

std::string pipeline_path(const std::string& name) { return "/api/v1/pipelines/" + percent_encode(name); }

std::string render_pipelines(const json& body) {
  Table table({"NAME", "LATEST", "ALIASES", "DESCRIPTION", "UPDATED"});
  const json pipelines = body.contains("pipelines") ? body["pipelines"] : json::array({body});
  for (const auto& p : pipelines) {
    std::string aliases;
    const json named = p.value("aliases", json::object());
    for (const auto& [alias, version] : named.items()) {
      aliases += (aliases.empty() ? "" : ",") + alias + "=" + version.dump();
    }
    table.add_row({field_text(p, "name"), field_text(p, "latest_version"), aliases, field_text(p, "description"),
                   format_timestamp(field_text(p, "updated_at"))});
  }
  return table.render();
}

std::string render_version(const json& v) {
  const json fitted_on = v.value("fitted_on", json::object());
  std::string columns;
  for (const auto& c : v.value("output_columns", json::array())) {
    columns += (columns.empty() ? "" : " ") + c.get<std::string>();
  }
  return render_fields({{"PIPELINE", field_text(v, "name")},
                        {"VERSION", field_text(v, "version")},
                        {"FITTED ON", field_text(fitted_on, "dataset") + "@" + field_text(fitted_on, "version")},
                        {"JOB", field_text(v, "job_id")},
                        {"OUTPUT", columns},
                        {"CREATED", format_timestamp(field_text(v, "created_at"))}});
}

Result<json> read_spec_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid_argument("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  json spec = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!spec.is_object()) return invalid_argument(path + " must hold one JSON object: the pipeline's spec");
  return spec;
}

struct JobArgs {
  std::string name, pipeline_version = "latest", dataset, version, into, description;
  bool watching = false;
};

std::string attachment_path(const std::string& model, const std::string& version) {
  return "/api/v1/models/" + percent_encode(model) + "/versions/" + percent_encode(version) + "/pipeline";
}

// `maas pipelines attach|detach`: the pipeline version a model version is served with (docs/FEATURES.md).
void add_attach_commands(CLI::App& pipelines, CommandSelection& selection) {
  struct AttachArgs {
    std::string name, pipeline_version = "latest", model, model_version;
  };
  {
    auto a = std::make_shared<AttachArgs>();
    CLI::App* c = pipelines.add_subcommand(
        "attach", "Serve a model version with a fitted pipeline version (raw-column requests); not while it is loaded");
    c->add_option("name", a->name, "The pipeline")->required();
    c->add_option("--pipeline-version,-p", a->pipeline_version, "The fitted version (default: latest)");
    c->add_option("--model,-m", a->model, "The model")->required();
    c->add_option("--model-version", a->model_version, "Its version: a number or an alias")->required();
    on_run(c, selection, [a](CommandContext& ctx) {
      json version = a->pipeline_version;
      if (!a->pipeline_version.empty() && a->pipeline_version.find_first_not_of("0123456789") == std::string::npos &&
          a->pipeline_version.size() < 18) {
        version = std::stoll(a->pipeline_version);
      }
      auto attached =
          ctx.api.put(attachment_path(a->model, a->model_version), {{"name", a->name}, {"version", version}});
      if (!attached.ok()) return report_failure(attached.status());
      print_done(ctx, "model '" + a->model + "' version " + a->model_version + " is served with pipeline '" + a->name +
                          "' version " + field_text(*attached, "version"));
      return ExitCode::kOk;
    });
  }
  {
    auto a = std::make_shared<AttachArgs>();
    CLI::App* c = pipelines.add_subcommand("detach", "Serve a model version without its pipeline again");
    c->add_option("--model,-m", a->model, "The model")->required();
    c->add_option("--model-version", a->model_version, "Its version: a number or an alias")->required();
    on_run(c, selection, [a](CommandContext& ctx) {
      if (Status s = ctx.api.remove(attachment_path(a->model, a->model_version)); !s.ok()) return report_failure(s);
      print_done(ctx, "model '" + a->model + "' version " + a->model_version + " has no pipeline now");
      return ExitCode::kOk;
    });
  }
}

}  // namespace

void add_pipeline_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* pipelines = app.add_subcommand("pipelines", "Create, fit and apply feature pipelines");
  pipelines->require_subcommand(1);
  {
    CLI::App* c = pipelines->add_subcommand("list", "List pipelines");
    on_run(c, selection, [](CommandContext& ctx) { return get_and_print(ctx, "/api/v1/pipelines", render_pipelines); });
  }
  {
    auto name = std::make_shared<std::string>(), version = std::make_shared<std::string>();
    CLI::App* c = pipelines->add_subcommand("show", "Show a pipeline, or one fitted version with --version");
    c->add_option("name", *name, "The pipeline")->required();
    c->add_option("--version", *version, "A version: a number, latest or an alias");
    on_run(c, selection, [name, version](CommandContext& ctx) {
      if (version->empty()) return get_and_print(ctx, pipeline_path(*name), render_pipelines);
      return get_and_print(ctx, pipeline_path(*name) + "/versions/" + percent_encode(*version), render_version);
    });
  }
  {
    auto name = std::make_shared<std::string>(), file = std::make_shared<std::string>(),
         description = std::make_shared<std::string>();
    CLI::App* c = pipelines->add_subcommand("create", "Create a pipeline from its spec (a JSON file)");
    c->add_option("name", *name, "The pipeline")->required();
    c->add_option("--spec-file,-f", *file, "The spec as JSON (docs/FEATURES.md)")->required();
    c->add_option("--description", *description, "What it computes");
    on_run(c, selection, [name, file, description](CommandContext& ctx) {
      auto spec = read_spec_file(*file);
      if (!spec.ok()) return report_usage_error(spec.status().message());
      json body = {{"name", *name}, {"spec", *spec}};
      if (!description->empty()) body["description"] = *description;
      auto created = ctx.api.post("/api/v1/pipelines", body);
      if (!created.ok()) return report_failure(created.status());
      print_result(ctx, *created, render_pipelines);
      return ExitCode::kOk;
    });
  }
  {
    auto a = std::make_shared<JobArgs>();
    CLI::App* c = pipelines->add_subcommand("fit", "Fit a pipeline on a dataset version (a features.fit job)");
    c->add_option("name", a->name, "The pipeline")->required();
    c->add_option("--dataset,-d", a->dataset, "The dataset to fit on")->required();
    c->add_option("--version", a->version, "Its version (default: latest)");
    c->add_flag("-w,--watch", a->watching, "Show its progress until it ends (exit 1 unless it succeeded)");
    on_run(c, selection, [a](CommandContext& ctx) {
      json body = {{"dataset", a->dataset}};
      if (!a->version.empty()) body["version"] = a->version;
      return post_job(ctx, pipeline_path(a->name) + "/fit", body, a->watching);
    });
  }
  {
    auto a = std::make_shared<JobArgs>();
    CLI::App* c = pipelines->add_subcommand(
        "transform", "Apply a fitted version to a dataset version into a new one (a features.transform job)");
    c->add_option("name", a->name, "The pipeline")->required();
    c->add_option("--pipeline-version,-p", a->pipeline_version, "The fitted version (default: latest)");
    c->add_option("--dataset,-d", a->dataset, "The dataset to transform")->required();
    c->add_option("--version", a->version, "Its version (default: latest)");
    c->add_option("--into", a->into, "The dataset to write (created when missing)")->required();
    c->add_option("--description", a->description, "The new version's description");
    c->add_flag("-w,--watch", a->watching, "Show its progress until it ends (exit 1 unless it succeeded)");
    on_run(c, selection, [a](CommandContext& ctx) {
      json body = {{"dataset", a->dataset}, {"into", a->into}};
      if (!a->version.empty()) body["version"] = a->version;
      if (!a->description.empty()) body["description"] = a->description;
      return post_job(ctx, pipeline_path(a->name) + "/versions/" + percent_encode(a->pipeline_version) + "/transform",
                      body, a->watching);
    });
  }
  add_attach_commands(*pipelines, selection);
}

}  // namespace maas::cli
