// `maas rules ...`: list and show extraction rules, save one from a file, test one on a sample of lines or rows, and
// run one over a dataset version or a source as a data.rule job (docs/DATA.md#extraction-rules).
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

std::string rule_path(const std::string& name) { return "/api/v1/rules/" + percent_encode(name); }

std::string render_rules(const json& body) {
  Table table({"NAME", "VERSION", "TYPE", "DESCRIPTION", "UPDATED"});
  const json rules = body.contains("rules") ? body["rules"] : json::array({body});
  for (const auto& r : rules) {
    const json rule = r.value("rule", json::object());
    table.add_row({field_text(r, "name"), field_text(r, "version"), field_text(rule, "type"),
                   field_text(r, "description"), format_timestamp(field_text(r, "updated_at"))});
  }
  return table.render();
}

std::string render_rule(const json& r) {
  return render_fields({{"NAME", field_text(r, "name")},
                        {"VERSION", field_text(r, "version") + " of " + field_text(r, "latest_version")},
                        {"DESCRIPTION", field_text(r, "description")},
                        {"UPDATED", format_timestamp(field_text(r, "updated_at"))}}) +
         r.value("rule", json::object()).dump(2) + "\n";
}

std::string render_test(const json& a) {
  std::vector<std::string> names;
  for (const auto& c : a.value("columns", json::array())) names.push_back(field_text(c, "name"));
  Table rows(names);
  for (const auto& row : a.value("rows", json::array())) {
    std::vector<std::string> cells;
    for (const auto& cell : row) cells.push_back(cell.is_string() ? cell.get<std::string>() : cell.dump());
    rows.add_row(cells);
  }
  std::string out = rows.render() + field_text(a, "rows_produced") + " rows produced, " +
                    field_text(a, "rows_rejected") + " rejected\n";
  if (!a.value("rejected", json::array()).empty()) {
    Table rejected({"LINE", "ERROR", "COLUMN", "MESSAGE"});
    for (const auto& r : a["rejected"]) {
      rejected.add_row(
          {field_text(r, "line"), field_text(r, "error_type"), field_text(r, "column"), field_text(r, "message")});
    }
    out += rejected.render();
  }
  return out;
}

Result<json> read_rule_file(const std::string& path) {
  MAAS_ASSIGN_OR_RETURN(std::string text, read_file(path));
  json rule = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!rule.is_object()) return invalid_argument(path + " must hold one JSON object: the rule");
  return rule;
}

struct TestArgs {
  std::string rule_file, name, lines_file, rows_file;
  int version = 0;
  int limit = 20;
};

ExitCode test(CommandContext& ctx, const TestArgs& a) {
  if (a.rule_file.empty() == a.name.empty()) return report_usage_error("give --rule-file or --name");
  if (a.lines_file.empty() == a.rows_file.empty()) return report_usage_error("give --lines or --rows");
  json body = {{"limit", a.limit}};
  if (!a.rule_file.empty()) {
    auto rule = read_rule_file(a.rule_file);
    if (!rule.ok()) return report_usage_error(rule.status().message());
    body["rule"] = *rule;
  } else {
    auto saved = ctx.api.get(rule_path(a.name) + (a.version > 0 ? "?version=" + std::to_string(a.version) : ""));
    if (!saved.ok()) return report_failure(saved.status());
    body["rule"] = (*saved)["rule"];
  }
  auto text = read_file(a.lines_file.empty() ? a.rows_file : a.lines_file);
  if (!text.ok()) return report_usage_error(text.status().message());
  std::istringstream in(*text);
  json sample = json::array();
  for (std::string line; std::getline(in, line);) {
    if (!a.lines_file.empty()) {
      sample.push_back(line);
      continue;
    }
    if (line.empty()) continue;
    json row = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!row.is_object()) return report_usage_error(a.rows_file + ": each line must be a JSON object");
    sample.push_back(std::move(row));
  }
  body[a.lines_file.empty() ? "rows" : "lines"] = std::move(sample);
  auto answer = ctx.api.post("/api/v1/rules/test", body);
  if (!answer.ok()) return report_failure(answer.status());
  print_result(ctx, *answer, render_test);
  return ExitCode::kOk;
}

struct RunArgs {
  std::string name, into, dataset, version, source, description;
  int rule_version = 0;
  bool watching = false;
};

ExitCode run(CommandContext& ctx, const RunArgs& a) {
  if (a.dataset.empty() == a.source.empty()) return report_usage_error("give --dataset or --source");
  json body = {{"into", a.into}};
  if (!a.dataset.empty()) body["dataset"] = a.dataset;
  if (!a.version.empty()) body["version"] = a.version;
  if (!a.source.empty()) body["source"] = a.source;
  if (!a.description.empty()) body["description"] = a.description;
  if (a.rule_version > 0) body["rule_version"] = a.rule_version;
  return post_job(ctx, rule_path(a.name) + "/run", body, a.watching);
}

}  // namespace

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid_argument("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void add_rule_commands(CLI::App& app, CommandSelection& selection) {
  CLI::App* rules = app.add_subcommand("rules", "Save, test and run extraction rules");
  rules->require_subcommand(1);
  {
    CLI::App* c = rules->add_subcommand("list", "List rules (their newest versions)");
    on_run(c, selection, [](CommandContext& ctx) { return get_and_print(ctx, "/api/v1/rules", render_rules); });
  }
  {
    auto name = std::make_shared<std::string>();
    auto version = std::make_shared<int>(0);
    CLI::App* c = rules->add_subcommand("show", "Show a rule (its newest version, or --version)");
    c->add_option("name", *name, "The rule")->required();
    c->add_option("--version", *version, "A version number");
    on_run(c, selection, [name, version](CommandContext& ctx) {
      return get_and_print(ctx, rule_path(*name) + (*version > 0 ? "?version=" + std::to_string(*version) : ""),
                           render_rule);
    });
  }
  {
    auto name = std::make_shared<std::string>(), file = std::make_shared<std::string>(),
         description = std::make_shared<std::string>();
    CLI::App* c = rules->add_subcommand("save", "Save a rule from a JSON file: version 1, or the next version");
    c->add_option("name", *name, "The rule")->required();
    c->add_option("--rule-file,-f", *file, "The rule as JSON (a discovered template's rule will do)")->required();
    c->add_option("--description", *description, "What it extracts");
    on_run(c, selection, [name, file, description](CommandContext& ctx) {
      auto rule = read_rule_file(*file);
      if (!rule.ok()) return report_usage_error(rule.status().message());
      json body = {{"rule", *rule}};
      if (!description->empty()) body["description"] = *description;
      auto existing = ctx.api.get(rule_path(*name));
      json create = body;
      create["name"] = *name;
      Result<json> saved = existing.ok() ? ctx.api.put(rule_path(*name), body) : ctx.api.post("/api/v1/rules", create);
      if (!saved.ok()) return report_failure(saved.status());
      print_result(ctx, *saved, render_rule);
      return ExitCode::kOk;
    });
  }
  {
    auto a = std::make_shared<TestArgs>();
    CLI::App* c = rules->add_subcommand("test", "Test a rule on a sample: the rows it produces and rejects");
    c->add_option("--rule-file,-f", a->rule_file, "A rule as JSON, not saved");
    c->add_option("--name", a->name, "A saved rule");
    c->add_option("--version", a->version, "The saved rule's version (default: newest)");
    c->add_option("--lines", a->lines_file, "A text file: one sample line per line");
    c->add_option("--rows", a->rows_file, "A JSON Lines file: one sample row per line (sql rules)");
    c->add_option("--limit", a->limit, "Rows to show (default 20)");
    on_run(c, selection, [a](CommandContext& ctx) { return test(ctx, *a); });
  }
  {
    auto a = std::make_shared<RunArgs>();
    CLI::App* c = rules->add_subcommand("run", "Run a rule into a new dataset version (a data.rule job)");
    c->add_option("name", a->name, "The rule")->required();
    c->add_option("--into", a->into, "The dataset to write (created when missing)")->required();
    c->add_option("--dataset,-d", a->dataset, "Read this dataset's version");
    c->add_option("--version", a->version, "The input version (default: latest)");
    c->add_option("--source,-s", a->source, "Read this source's rows");
    c->add_option("--rule-version", a->rule_version, "The rule's version (default: newest)");
    c->add_option("--description", a->description, "The new version's description");
    c->add_flag("-w,--watch", a->watching, "Show its progress until it ends (exit 1 unless it succeeded)");
    on_run(c, selection, [a](CommandContext& ctx) { return run(ctx, *a); });
  }
}

}  // namespace maas::cli
