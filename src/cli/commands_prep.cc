// `maas datasets clean NAME:V --recipe FILE`, `maas datasets split NAME:V --fractions ...` and `maas datasets drift
// A B`: each submits a data.clean, data.split or data.drift job (docs/DATA.md, "Data preparation as jobs"), follows
// it with a progress bar on stderr and prints the new version or the drift report (--detach: print the job and
// return at once). Exit 1 unless the job succeeded.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/job_output.h"
#include "cli/table.h"
#include "cli/url.h"

namespace maas::cli {
namespace {

using nlohmann::json;

// "name:version" (version: a number, an alias or latest; default latest) -> {name, version}.
std::pair<std::string, std::string> version_ref(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return {text, "latest"};
  return {text.substr(0, colon), text.substr(colon + 1)};
}

std::string version_path(const std::string& ref) {
  auto [name, version] = version_ref(ref);
  return "/api/v1/datasets/" + percent_encode(name) + "/versions/" + percent_encode(version);
}

std::string render_version(const json& v) {
  return render_fields({{"DATASET", field_text(v, "dataset")},
                        {"VERSION", field_text(v, "version")},
                        {"ROWS", field_text(v, "row_count")},
                        {"REJECTED", field_text(v, "rejected_rows")},
                        {"SOURCE", v.contains("lineage") ? field_text(v["lineage"], "source") : "-"}});
}

std::string render_drift(const json& report) {
  Table table({"COLUMN", "KIND", "PSI", "KS", "P-VALUE", "MISSING A", "MISSING B"});
  for (const auto& c : report.value("columns", json::array())) {
    const json ks = c.contains("ks") && c["ks"].is_object() ? c["ks"] : json::object();
    table.add_row({field_text(c, "name"), field_text(c, "kind"), field_text(c, "psi"), field_text(ks, "statistic"),
                   field_text(ks, "pvalue"), field_text(c, "missing_a"), field_text(c, "missing_b")});
  }
  return table.render() + "max PSI: " + field_text(report, "max_psi") + "\n";
}

// POSTs `body` to `path`, then follows the job: the new version (clean, split) or the report (drift) once it
// succeeded, the job's details otherwise.
ExitCode submit_and_follow(CommandContext& ctx, const std::string& path, const json& body, bool detach) {
  auto job = ctx.api.post(path, body);
  if (!job.ok()) return report_failure(job.status());
  const std::string id = field_text(*job, "id");
  if (detach) {
    print_result(ctx, *job, [](const json& j) {
      return render_fields({{"JOB", field_text(j, "id")}, {"STATE", field_text(j, "state")}});
    });
    return ExitCode::kOk;
  }
  std::cerr << "submitted job " << id << " (" << field_text(*job, "kind") << ")\n";
  auto done = follow_job(ctx, id);
  if (!done.ok()) return report_failure(done.status());
  if (done->value("state", "") != "succeeded") {
    print_result(ctx, *done, render_job_details);
    return ExitCode::kUnexpected;
  }
  const json& result = (*done)["result"];
  if (field_text(*done, "kind") == "data.drift") {
    print_result(ctx, result, render_drift);
    return ExitCode::kOk;
  }
  auto version = ctx.api.get("/api/v1/datasets/" + percent_encode(field_text(result, "dataset")) + "/versions/" +
                             field_text(result, "version"));
  if (!version.ok()) return report_failure(version.status());
  print_result(ctx, *version, render_version);
  return ExitCode::kOk;
}

// --tag k=v flags into an object; INVALID_ARGUMENT for one without '='.
Result<json> tags_of(const std::vector<std::string>& tags) {
  json out = json::object();
  for (const auto& t : tags) {
    const size_t eq = t.find('=');
    if (eq == std::string::npos || eq == 0) return invalid_argument("--tag takes key=value, got '" + t + "'");
    out[t.substr(0, eq)] = t.substr(eq + 1);
  }
  return out;
}

struct NewVersionArgs {
  std::string input, into, description;
  std::vector<std::string> tags;
  bool detach = false;
};

void add_new_version_options(CLI::App* c, NewVersionArgs& a) {
  c->add_option("input", a.input, "The input version: NAME[:VERSION] (a number, an alias or latest)")->required();
  c->add_option("--into,-d", a.into, "The dataset of the new version (default: the input's; it must exist)");
  c->add_option("--description", a.description, "The new version's description");
  c->add_option("--tag", a.tags, "A tag of the new version, key=value (repeatable)");
  c->add_flag("--detach", a.detach, "Print the job and return without following it");
}

Result<json> new_version_body(const NewVersionArgs& a) {
  json body = json::object();
  if (!a.into.empty()) body["dataset"] = a.into;
  if (!a.description.empty()) body["description"] = a.description;
  if (!a.tags.empty()) {
    MAAS_ASSIGN_OR_RETURN(body["tags"], tags_of(a.tags));
  }
  return body;
}

struct CleanArgs : NewVersionArgs {
  std::string recipe;
};

ExitCode clean(CommandContext& ctx, const CleanArgs& a) {
  auto text = read_file(a.recipe);
  if (!text.ok()) return report_usage_error(text.status().message());
  json recipe = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (recipe.is_object() && recipe.contains("steps")) recipe = recipe["steps"];
  if (!recipe.is_array()) {
    return report_usage_error(a.recipe + " must hold the recipe: a JSON array of steps, or {\"steps\": [...]}");
  }
  auto body = new_version_body(a);
  if (!body.ok()) return report_usage_error(body.status().message());
  (*body)["steps"] = std::move(recipe);
  return submit_and_follow(ctx, version_path(a.input) + "/clean", *body, a.detach);
}

struct SplitArgs : NewVersionArgs {
  std::string method = "random", fractions, column, split_column;
  std::optional<int64_t> seed;
};

ExitCode split(CommandContext& ctx, const SplitArgs& a) {
  auto body = new_version_body(a);
  if (!body.ok()) return report_usage_error(body.status().message());
  (*body)["method"] = a.method;
  json fractions = json::object();
  for (size_t start = 0; start <= a.fractions.size();) {
    size_t comma = a.fractions.find(',', start);
    const std::string part = a.fractions.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const size_t eq = part.find('=');
    char* end = nullptr;
    const double value = eq == std::string::npos ? 0 : std::strtod(part.c_str() + eq + 1, &end);
    if (eq == std::string::npos || end == nullptr || *end != '\0' || end == part.c_str() + eq + 1) {
      return report_usage_error("--fractions takes part=fraction pairs, e.g. train=0.8,test=0.2; got '" + part + "'");
    }
    fractions[part.substr(0, eq)] = value;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  (*body)["fractions"] = fractions;
  if (a.seed) (*body)["seed"] = *a.seed;
  if (!a.column.empty()) (*body)["column"] = a.column;
  if (!a.split_column.empty()) (*body)["split_column"] = a.split_column;
  return submit_and_follow(ctx, version_path(a.input) + "/split", *body, a.detach);
}

struct DriftArgs {
  std::string a, b, columns, split_column;
  int bins = 0;
  bool detach = false;
};

ExitCode drift(CommandContext& ctx, const DriftArgs& a) {
  // A side is NAME[:VERSION[:PART]]: the path names the first version, `part` its part, `against` the second.
  auto side = [](const std::string& text) {
    const size_t first = text.find(':');
    const size_t second = first == std::string::npos ? std::string::npos : text.find(':', first + 1);
    std::string version = first == std::string::npos ? text : text.substr(0, second);
    std::string part = second == std::string::npos ? "" : text.substr(second + 1);
    return std::make_pair(version, part);
  };
  auto [a_version, a_part] = side(a.a);
  auto [b_version, b_part] = side(a.b);
  auto [b_name, b_ref] = version_ref(b_version);
  json body = {{"against", b_name + ":" + b_ref + (b_part.empty() ? "" : ":" + b_part)}};
  if (!a_part.empty()) body["part"] = a_part;
  if (!a.columns.empty()) body["columns"] = a.columns;
  if (a.bins > 0) body["bins"] = a.bins;
  if (!a.split_column.empty()) body["split_column"] = a.split_column;
  return submit_and_follow(ctx, version_path(a_version) + "/drift", body, a.detach);
}

}  // namespace

void add_prep_commands(CLI::App* datasets, CommandSelection& selection) {
  {
    auto a = std::make_shared<CleanArgs>();
    CLI::App* c =
        datasets->add_subcommand("clean", "Clean a version with a recipe into a new version (data.clean job)");
    add_new_version_options(c, *a);
    c->add_option("--recipe,-r", a->recipe, "A JSON file: the steps, or {\"steps\": [...]}")->required();
    on_run(c, selection, [a](CommandContext& ctx) { return clean(ctx, *a); });
  }
  {
    auto a = std::make_shared<SplitArgs>();
    CLI::App* c = datasets->add_subcommand("split", "Split a version into train/validation/test (data.split job)");
    add_new_version_options(c, *a);
    c->add_option("--method,-m", a->method, "random, stratified, grouped or time")->capture_default_str();
    c->add_option("--fractions,-f", a->fractions, "part=fraction pairs, e.g. train=0.8,test=0.2")->required();
    c->add_option("--seed", a->seed, "The seed (default 0): the same seed, the same split");
    c->add_option("--column", a->column, "The label (stratified), group (grouped) or order (time) column");
    c->add_option("--split-column", a->split_column, "The new column's name (default: split)");
    on_run(c, selection, [a](CommandContext& ctx) { return split(ctx, *a); });
  }
  {
    auto a = std::make_shared<DriftArgs>();
    CLI::App* c =
        datasets->add_subcommand("drift", "Compare two versions or parts: PSI and KS per column (data.drift job)");
    c->add_option("a", a->a, "NAME[:VERSION[:PART]], e.g. orders:3 or orders:3:train")->required();
    c->add_option("b", a->b, "NAME[:VERSION[:PART]], compared against the first")->required();
    c->add_option("--columns", a->columns, "Comma-separated columns (default: every column both have)");
    c->add_option("--bins", a->bins, "Numeric PSI bins, 2-100 (default 10)");
    c->add_option("--split-column", a->split_column, "The column a part is read from (default: split)");
    c->add_flag("--detach", a->detach, "Print the job and return without following it");
    on_run(c, selection, [a](CommandContext& ctx) { return drift(ctx, *a); });
  }
}

}  // namespace maas::cli
