// `maas studies ...`: hyperparameter studies from a shell (docs/HPO.md) — create one from a spec file, list, get,
// ask for a trial, report an intermediate value, tell the result, page the trials, show the best, register the best
// trial of a built-in objective, delete.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "cli/api_client.h"
#include "cli/commands.h"
#include "cli/spec_file.h"
#include "cli/table.h"
#include "cli/url.h"

namespace maas::cli {
namespace {

using nlohmann::json;

std::string study_path(const std::string& name) { return "/api/v1/studies/" + percent_encode(name); }

std::string values_text(const json& trial) {
  if (!trial.is_object() || !trial.contains("values") || trial["values"].is_null()) return "";
  return trial["values"].dump();
}

std::string render_studies(const json& body) {
  Table table({"NAME", "DIRECTIONS", "TRIALS", "COMPLETE", "RUNNING", "BEST", "CREATED"});
  const json studies = body.contains("studies") ? body["studies"] : json::array({body});
  for (const auto& s : studies) {
    const json counts = s.contains("trials") && s["trials"].is_object() ? s["trials"] : json::object();
    const json best = s.contains("best_trials") && !s["best_trials"].empty() ? s["best_trials"][0] : json();
    table.add_row({field_text(s, "name"), s.contains("directions") ? s["directions"].dump() : "",
                   field_text(counts, "total"), field_text(counts, "complete"), field_text(counts, "running"),
                   values_text(best), format_timestamp(field_text(s, "created_at"))});
  }
  return table.render();
}

std::string render_trials(const json& body) {
  Table table({"NUMBER", "STATE", "VALUES", "PARAMS", "STEPS", "JOB"});
  json trials = json::array();
  if (body.contains("trials"))
    trials = body["trials"];
  else if (body.contains("best_trials"))
    trials = body["best_trials"];
  else
    trials.push_back(body);
  for (const auto& t : trials) {
    const auto steps = t.contains("intermediate_values") ? t["intermediate_values"].size() : 0;
    table.add_row({field_text(t, "number"), field_text(t, "state"), values_text(t),
                   t.contains("params") ? t["params"].dump() : "", std::to_string(steps), field_text(t, "job_id")});
  }
  return table.render();
}

std::string render_asked(const json& body) {
  return render_fields(
      {{"NUMBER", field_text(body, "number")}, {"PARAMS", body.contains("params") ? body["params"].dump() : ""}});
}

std::string render_report(const json& body) { return body.value("prune", false) ? "prune\n" : "continue\n"; }

struct TrialArgs {
  std::string study;
  int64_t number = 0;
};

void add_trial_commands(CLI::App* studies, CommandSelection& selection) {
  {
    auto study = std::make_shared<std::string>();
    CLI::App* c = studies->add_subcommand("ask", "Ask a study for a trial: its number and parameters");
    c->add_option("study", *study, "The study")->required();
    on_run(c, selection, [study](CommandContext& ctx) {
      auto asked = ctx.api.post(study_path(*study) + "/trials", json::object());
      if (!asked.ok()) return report_failure(asked.status());
      print_result(ctx, *asked, render_asked);
      return ExitCode::kOk;
    });
  }
  {
    auto a = std::make_shared<TrialArgs>();
    auto step = std::make_shared<int64_t>(0);
    auto value = std::make_shared<double>(0);
    CLI::App* c = studies->add_subcommand("report", "Report a trial's intermediate value; prints prune or continue");
    c->add_option("study", a->study, "The study")->required();
    c->add_option("trial", a->number, "The trial's number")->required();
    c->add_option("--step", *step, "The step (a round, an epoch)")->required();
    c->add_option("--value", *value, "The value at that step")->required();
    on_run(c, selection, [a, step, value](CommandContext& ctx) {
      auto answer = ctx.api.post(study_path(a->study) + "/trials/" + std::to_string(a->number) + "/report",
                                 {{"step", *step}, {"value", *value}});
      if (!answer.ok()) return report_failure(answer.status());
      print_result(ctx, *answer, render_report);
      return ExitCode::kOk;
    });
  }
  {
    auto a = std::make_shared<TrialArgs>();
    auto values = std::make_shared<std::vector<double>>();
    auto state = std::make_shared<std::string>();
    CLI::App* c = studies->add_subcommand("tell", "Tell a trial's values (one per direction), or --state failed");
    c->add_option("study", a->study, "The study")->required();
    c->add_option("trial", a->number, "The trial's number")->required();
    c->add_option("values", *values, "The objective values");
    c->add_option("--state", *state, "failed or pruned instead of values");
    on_run(c, selection, [a, values, state](CommandContext& ctx) {
      json body = state->empty() ? json{{"values", *values}} : json{{"state", *state}};
      auto told = ctx.api.post(study_path(a->study) + "/trials/" + std::to_string(a->number) + "/tell", body);
      if (!told.ok()) return report_failure(told.status());
      print_result(ctx, *told, render_trials);
      return ExitCode::kOk;
    });
  }
  {
    auto study = std::make_shared<std::string>();
    auto after = std::make_shared<int64_t>(-1);
    auto limit = std::make_shared<int>(100);
    CLI::App* c = studies->add_subcommand("trials", "List a study's trials, by number");
    c->add_option("study", *study, "The study")->required();
    c->add_option("--after", *after, "Only trials numbered above this");
    c->add_option("--limit", *limit, "At most this many (1 to 1000; default 100)");
    on_run(c, selection, [study, after, limit](CommandContext& ctx) {
      return get_and_print(
          ctx, study_path(*study) + "/trials?after=" + std::to_string(*after) + "&limit=" + std::to_string(*limit),
          render_trials);
    });
  }
}

}  // namespace

void add_study_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* studies =
      app.add_subcommand("studies", "Hyperparameter studies: ask-and-tell, pruning, built-in objectives");
  studies->require_subcommand(1);
  {
    auto file = std::make_shared<std::string>();
    CLI::App* c = studies->add_subcommand("create", "Create a study from a JSON or YAML spec (POST /api/v1/studies)");
    c->add_option("spec", *file, "The spec file: name, directions, space, sampler?, pruner?, budget?, objective?")
        ->required();
    on_run(c, selection, [file](CommandContext& ctx) {
      auto spec = read_spec_file(*file);
      if (!spec.ok()) return report_failure(spec.status());
      auto created = ctx.api.post("/api/v1/studies", *spec);
      if (!created.ok()) return report_failure(created.status());
      print_result(ctx, *created, render_studies);
      return ExitCode::kOk;
    });
  }
  {
    CLI::App* c = studies->add_subcommand("list", "List studies");
    on_run(c, selection, [](CommandContext& ctx) { return get_and_print(ctx, "/api/v1/studies", render_studies); });
  }
  {
    auto study = std::make_shared<std::string>();
    CLI::App* c = studies->add_subcommand("get", "Show a study");
    c->add_option("study", *study, "The study")->required();
    on_run(c, selection,
           [study](CommandContext& ctx) { return get_and_print(ctx, study_path(*study), render_studies); });
  }
  {
    auto study = std::make_shared<std::string>();
    CLI::App* c = studies->add_subcommand("best", "Show the best trial (the Pareto front for several objectives)");
    c->add_option("study", *study, "The study")->required();
    on_run(c, selection, [study](CommandContext& ctx) {
      auto got = ctx.api.get(study_path(*study));
      if (!got.ok()) return report_failure(got.status());
      print_result(ctx, json{{"best_trials", (*got)["best_trials"]}}, render_trials);
      return ExitCode::kOk;
    });
  }
  {
    auto study = std::make_shared<std::string>();
    auto watching = std::make_shared<bool>(false);
    CLI::App* c = studies->add_subcommand("register", "Train the best trial on the full dataset as a model version");
    c->add_option("study", *study, "The study (with a built-in objective)")->required();
    c->add_flag("--watch,-w", *watching, "Follow the training job to its end");
    on_run(c, selection, [study, watching](CommandContext& ctx) {
      return post_job(ctx, study_path(*study) + "/register", json::object(), *watching);
    });
  }
  {
    auto study = std::make_shared<std::string>();
    CLI::App* c = studies->add_subcommand("delete", "Delete a study and its trials");
    c->add_option("study", *study, "The study")->required();
    on_run(c, selection, [study](CommandContext& ctx) {
      if (Status s = ctx.api.remove(study_path(*study)); !s.ok()) return report_failure(s);
      print_done(ctx, "deleted study '" + *study + "'");
      return ExitCode::kOk;
    });
  }
  add_trial_commands(studies, selection);
}

}  // namespace maas::cli
