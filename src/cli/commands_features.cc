// `maas features search NAME[:VERSION] --label COLUMN --task regression|classification [budget flags] [--follow]`:
// submits a features.search job (docs/FEATURES.md, "Feature search"); with --follow draws its progress on stderr
// and prints the report: the score step by step, what each kept feature adds, what was dropped, and the pipeline
// spec that computes the kept features. Exit 1 unless the job succeeded.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/job_output.h"
#include "cli/table.h"

namespace maas::cli {
namespace {

using nlohmann::json;

// At most this many dropped candidates are listed in the table form (the JSON has the report's whole list).
constexpr size_t kDroppedShown = 10;

std::string number_text(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", it->get<double>());
  return text;
}

std::string render_report(const json& report) {
  std::string out = "label " + field_text(report, "label") + " (" + field_text(report, "task") + "), " +
                    field_text(report, "rows") + " rows, " + field_text(report, "folds") + "-fold CV, metric " +
                    field_text(report, "metric") + " (higher is better)\n";
  Table steps({"STEP", "FEATURE", "SCORE", "GAIN", "MUTUAL INFO", "IMPORTANCE"});
  steps.add_row({"0", "(numeric columns)", number_text(report, "baseline_score"), "", "", ""});
  size_t step = 0;
  for (const auto& k : report.value("kept", json::array())) {
    steps.add_row({std::to_string(++step), field_text(k, "name"), number_text(k, "score_after"),
                   "+" + number_text(k, "gain"), number_text(k, "mutual_info"), number_text(k, "importance")});
  }
  out += steps.render();
  out += "stopped: " + field_text(report, "stopped") + "\n";
  const json candidates = report.value("candidates", json::object());
  out += "candidates: " + field_text(candidates, "generated") + " generated, " + field_text(candidates, "pruned") +
         " pruned, " + field_text(candidates, "screened") + " tried by forward selection\n";
  const json dropped = report.value("dropped", json::array());
  if (!dropped.empty()) {
    Table table({"DROPPED", "REASON", "MUTUAL INFO", "BEST GAIN"});
    for (size_t d = 0; d < dropped.size() && d < kDroppedShown; ++d) {
      table.add_row({field_text(dropped[d], "name"), field_text(dropped[d], "reason"),
                     number_text(dropped[d], "mutual_info"), number_text(dropped[d], "best_gain")});
    }
    out += table.render();
    out += "(" + field_text(report, "dropped_total") + " dropped in all; -o json lists them)\n";
  }
  return out + "pipeline spec (maas pipelines create NAME --spec-file FILE):\n" +
         report.value("spec", json::object()).dump() + "\n";
}

struct SearchArgs {
  std::string input, label, task = "regression";
  std::vector<std::string> keys;
  std::optional<int> depth, folds, max_candidates, max_features, screen;
  std::optional<double> tolerance, max_seconds;
  bool follow = false;
};

json search_params(const SearchArgs& a) {
  const size_t colon = a.input.find(':');
  json params = {{"dataset", a.input.substr(0, colon)}, {"label", a.label}, {"task", a.task}};
  if (colon != std::string::npos) params["version"] = a.input.substr(colon + 1);
  if (!a.keys.empty()) params["keys"] = a.keys;
  if (a.depth) params["depth"] = *a.depth;
  if (a.folds) params["folds"] = *a.folds;
  if (a.tolerance) params["tolerance"] = *a.tolerance;
  json budget = json::object();
  if (a.max_candidates) budget["max_candidates"] = *a.max_candidates;
  if (a.max_seconds) budget["max_seconds"] = *a.max_seconds;
  if (a.max_features) budget["max_features"] = *a.max_features;
  if (a.screen) budget["screen"] = *a.screen;
  if (!budget.empty()) params["budget"] = budget;
  return params;
}

ExitCode search(CommandContext& ctx, const SearchArgs& a) {
  auto job = ctx.api.post("/api/v1/jobs", {{"kind", "features.search"}, {"params", search_params(a)}});
  if (!job.ok()) return report_failure(job.status());
  if (!a.follow) {
    print_result(ctx, *job, render_job_details);
    return ExitCode::kOk;
  }
  std::cerr << "submitted job " << field_text(*job, "id") << " (features.search)\n";
  auto done = follow_job(ctx, field_text(*job, "id"));
  if (!done.ok()) return report_failure(done.status());
  if (done->value("state", "") != "succeeded") {
    print_result(ctx, *done, render_job_details);
    return ExitCode::kUnexpected;
  }
  print_result(ctx, (*done)["result"], render_report);
  return ExitCode::kOk;
}

}  // namespace

void add_feature_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* features = app.add_subcommand("features", "Feature search");
  features->require_subcommand(1);
  auto a = std::make_shared<SearchArgs>();
  CLI::App* c = features->add_subcommand(
      "search", "Search a dataset version for features that raise a model's cross-validated score");
  c->add_option("input", a->input, "The dataset version: NAME[:VERSION] (a number, an alias or latest)")->required();
  c->add_option("--label,-l", a->label, "The label column")->required();
  c->add_option("--task", a->task, "regression (default) or classification");
  c->add_option("--keys", a->keys, "Columns to group by (default: the text columns)")->delimiter(',');
  c->add_option("--depth", a->depth, "1: pairwise and group features of columns; 2 (default): also of those");
  c->add_option("--folds", a->folds, "Cross-validation folds (default 5)");
  c->add_option("--tolerance", a->tolerance, "The least score gain a kept feature adds (default 0.002)");
  c->add_option("--max-candidates", a->max_candidates, "Budget: candidates generated (default 500)");
  c->add_option("--max-seconds", a->max_seconds, "Budget: seconds for the whole search (default 300)");
  c->add_option("--max-features", a->max_features, "Budget: features kept (default 10)");
  c->add_option("--screen", a->screen, "Budget: candidates forward selection tries (default 20)");
  c->add_flag("-f,--follow", a->follow, "Show its progress, then print the report (exit 1 unless it succeeded)");
  on_run(c, selection, [a](CommandContext& ctx) { return search(ctx, *a); });
}

}  // namespace maas::cli
