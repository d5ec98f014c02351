// maas-discovery-eval: grouping accuracy per system on the labelled corpus (whole lines and messages alone),
// and discovery throughput. bench/discovery/run.sh drives it; docs/BENCHMARKS.md has its numbers.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "data/discovery/discover.h"
#include "data/discovery/template_miner.h"
#include "discovery/corpus.h"

namespace discovery = maas::data::discovery;
namespace corpus = maas::data::discovery::corpus;

namespace {

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, sep))
    if (!item.empty()) out.push_back(item);
  return out;
}

struct Run {
  double ga = 0;
  size_t found = 0, fallback = 0;
  double rules_ok = 0;  // lines that their template's rule matches, every column parsing as its type
  discovery::Discovery result;
};

// Applies each line's template rule; counts the lines it extracts cleanly. Prints the first failures when asked.
double check_rules(const std::vector<std::string_view>& lines, const discovery::Discovery& d, int show) {
  std::vector<std::unique_ptr<RE2>> compiled;
  for (const auto& t : d.templates) {
    RE2::Options o;
    o.set_log_errors(false);
    compiled.push_back(std::make_unique<RE2>(t.rule.pattern, o));
  }
  size_t ok = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto& t = d.templates[d.assignments[i]];
    const RE2& re = *compiled[t.id];
    size_t n = t.rule.columns.size();
    std::vector<re2::StringPiece> values(n);
    std::vector<RE2::Arg> args(n);
    std::vector<const RE2::Arg*> arg_ptrs(n);
    for (size_t k = 0; k < n; ++k) {
      args[k] = &values[k];
      arg_ptrs[k] = &args[k];
    }
    bool matched = re.ok() && static_cast<size_t>(re.NumberOfCapturingGroups()) == n &&
                   RE2::FullMatchN(re2::StringPiece(lines[i].data(), lines[i].size()), re, arg_ptrs.data(),
                                   static_cast<int>(n));
    std::string bad;
    for (size_t k = 0; matched && k < n; ++k)
      if (!discovery::fits_column(std::string_view(values[k].data(), values[k].size()), t.rule.columns[k]))
        bad = t.rule.columns[k].name + "=" + std::string(values[k].data(), values[k].size());
    if (matched && bad.empty()) {
      ++ok;
    } else if (show-- > 0) {
      std::printf("  rule failure (%s): %s\n    pattern: %s\n    line: %s\n", matched ? ("column " + bad).c_str() : "no match",
                  t.text.c_str(), t.rule.pattern.c_str(), std::string(lines[i]).c_str());
    }
  }
  return lines.empty() ? 1 : static_cast<double>(ok) / static_cast<double>(lines.size());
}

Run run(const std::vector<corpus::CorpusLine>& lines, bool message, const discovery::DiscoverOptions& options,
        int show_rule_failures) {
  std::vector<std::string_view> views;
  std::vector<uint32_t> truth;
  for (const auto& l : lines) {
    views.push_back(message ? l.message : l.line);
    truth.push_back(l.truth);
  }
  Run r;
  r.result = discovery::discover(views, options);
  r.ga = corpus::grouping_accuracy(r.result.assignments, truth);
  r.found = r.result.templates.size();
  r.fallback = r.result.fallback_rules;
  r.rules_ok = check_rules(views, r.result, show_rule_failures);
  return r;
}

// The online miner fed the lines one by one (refining as it goes); each line then grouped by match().
double run_online(const std::vector<corpus::CorpusLine>& lines, const discovery::MinerOptions& options) {
  discovery::TemplateMiner miner(options);
  std::vector<uint32_t> truth, predicted;
  for (const auto& l : lines) {
    miner.add(l.line);
    truth.push_back(l.truth);
  }
  miner.templates();
  for (const auto& l : lines) predicted.push_back(miner.match(l.line));
  return corpus::grouping_accuracy(predicted, truth);
}

// The truth templates that were not grouped exactly, with what they were grouped as.
void show_errors(const corpus::CorpusSpec& spec, const std::vector<corpus::CorpusLine>& lines, const Run& r, bool message) {
  std::map<uint32_t, std::set<uint32_t>> predicted_of_truth, truth_of_predicted;
  std::map<uint32_t, size_t> truth_count;
  for (size_t i = 0; i < lines.size(); ++i) {
    predicted_of_truth[lines[i].truth].insert(r.result.assignments[i]);
    truth_of_predicted[r.result.assignments[i]].insert(lines[i].truth);
    ++truth_count[lines[i].truth];
  }
  for (const auto& [t, predicted] : predicted_of_truth) {
    bool exact = predicted.size() == 1 && truth_of_predicted[*predicted.begin()].size() == 1;
    if (exact) continue;
    std::printf("  truth T%u (%zu lines): %s\n", t, truth_count[t], spec.templates[t].message.c_str());
    for (uint32_t p : predicted) {
      std::printf("    -> #%u %s  [mixes:", p, r.result.templates[p].text.c_str());
      for (uint32_t other : truth_of_predicted[p]) std::printf(" T%u", other);
      std::printf("]\n");
    }
    for (size_t i = 0, shown = 0; i < lines.size() && shown < 2; ++i)
      if (lines[i].truth == t) std::printf("      e.g. %s\n", (message ? lines[i].message : lines[i].line).c_str()), ++shown;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Grouping accuracy and throughput of log template discovery on the labelled corpus"};
  std::string directory = MAAS_DISCOVERY_CORPUS_DIR, systems_arg, seeds_arg = "101,102,103", set_arg = "all", json_path;
  std::string errors_system;
  size_t lines = 2000, throughput_lines = 0;
  int show_rule_failures = 0;
  size_t online_refine = discovery::MinerOptions{}.refine_every;
  discovery::DiscoverOptions options;
  app.add_option("--corpus", directory, "the spec files' folder")->capture_default_str();
  app.add_option("--systems", systems_arg, "comma-separated systems (default: all)");
  app.add_option("--seeds", seeds_arg, "comma-separated seeds")->capture_default_str();
  app.add_option("--lines", lines, "lines per system and seed")->capture_default_str();
  app.add_option("--set", set_arg, "all: every template; dev: without the held-out ones")->capture_default_str();
  app.add_option("--threads", options.threads)->capture_default_str();
  app.add_option("--constant-max-values", options.grouping.constant_max_values)->capture_default_str();
  app.add_option("--variable-min-values", options.grouping.variable_min_values)->capture_default_str();
  app.add_option("--throughput-lines", throughput_lines, "also time discovery on this many lines per system");
  app.add_option("--show-errors", errors_system, "print the mis-grouped templates of this system");
  app.add_option("--json", json_path, "write the results here");
  app.add_option("--show-rule-failures", show_rule_failures, "print this many lines whose rule fails, per run");
  app.add_option("--online-refine-every", online_refine, "the online miner's refine_every")->capture_default_str();
  options.verify_rules = false;  // the rules are checked here, on every line
  app.add_flag("--verify-rules", options.verify_rules, "let discovery fall back to the generic rule when a rule fails its sample");
  CLI11_PARSE(app, argc, argv);

  auto specs = corpus::load_specs(directory);
  if (!specs.ok()) {
    std::cerr << specs.status().to_string() << "\n";
    return 1;
  }
  std::set<std::string> wanted;
  for (const auto& s : split(systems_arg, ',')) wanted.insert(s);
  std::vector<uint64_t> seeds;
  for (const auto& s : split(seeds_arg, ',')) seeds.push_back(std::stoull(s));
  auto set = set_arg == "dev" ? corpus::TemplateSet::kDevelopment : corpus::TemplateSet::kAll;

  nlohmann::json results = nlohmann::json::array();
  double sum_full = 0, sum_message = 0, sum_online = 0, total_lines = 0, total_wall = 0, total_cpu = 0;
  size_t systems = 0;
  std::printf("%-12s %9s %9s %9s %8s %8s %8s %8s %12s\n", "system", "GA line", "GA msg", "GA online", "true", "found",
              "fallback", "rules", "lines/s");
  for (const auto& spec : *specs) {
    if (!wanted.empty() && !wanted.count(spec.system)) continue;
    double full = 0, message = 0, rules = 0, online = 0;
    size_t truth_templates = 0, found = 0, fallback = 0;
    for (uint64_t seed : seeds) {
      auto corpus_lines = corpus::generate(spec, seed, lines, set);
      Run f = run(corpus_lines, false, options, show_rule_failures), m = run(corpus_lines, true, options, show_rule_failures);
      full += f.ga;
      message += m.ga;
      std::set<uint32_t> distinct;
      for (const auto& l : corpus_lines) distinct.insert(l.truth);
      truth_templates += distinct.size();
      found += f.found;
      fallback += f.fallback + m.fallback;
      rules += (f.rules_ok + m.rules_ok) / 2;
      discovery::MinerOptions miner_options;
      miner_options.grouping = options.grouping;
      miner_options.refine_every = online_refine;
      online += run_online(corpus_lines, miner_options);
      if (errors_system == spec.system) {
        std::printf("-- %s seed %llu, whole lines\n", spec.system.c_str(), static_cast<unsigned long long>(seed));
        show_errors(spec, corpus_lines, f, false);
        std::printf("-- %s seed %llu, messages\n", spec.system.c_str(), static_cast<unsigned long long>(seed));
        show_errors(spec, corpus_lines, m, true);
      }
    }
    full /= static_cast<double>(seeds.size());
    message /= static_cast<double>(seeds.size());
    double rate = 0;
    if (throughput_lines > 0) {
      auto big = corpus::generate(spec, 1, throughput_lines, corpus::TemplateSet::kAll);
      std::vector<std::string_view> views;
      for (const auto& l : big) views.push_back(l.line);
      double cpu0 = cpu_seconds();
      auto t0 = std::chrono::steady_clock::now();
      auto d = discovery::discover(views, options);
      double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      total_cpu += cpu_seconds() - cpu0;
      total_wall += wall;
      total_lines += static_cast<double>(views.size());
      rate = static_cast<double>(views.size()) / wall;
    }
    rules /= static_cast<double>(seeds.size());
    online /= static_cast<double>(seeds.size());
    std::printf("%-12s %9.4f %9.4f %9.4f %8.1f %8.1f %8zu %8.4f %12.0f\n", spec.system.c_str(), full, message, online,
                static_cast<double>(truth_templates) / static_cast<double>(seeds.size()),
                static_cast<double>(found) / static_cast<double>(seeds.size()), fallback, rules, rate);
    results.push_back({{"system", spec.system}, {"ga_line", full}, {"ga_message", message}, {"ga_online", online},
                       {"rules_ok", rules},
                       {"lines_per_second", rate}});
    sum_full += full;
    sum_online += online;
    sum_message += message;
    ++systems;
  }
  if (systems == 0) return 1;
  double mean_full = sum_full / static_cast<double>(systems), mean_message = sum_message / static_cast<double>(systems);
  double mean_online = sum_online / static_cast<double>(systems);
  std::printf("%-12s %9.4f %9.4f %9.4f\n", "mean", mean_full, mean_message, mean_online);
  if (throughput_lines > 0)
    std::printf("throughput: %.0f lines in %.2f s wall (%.0f lines/s), %.2f s CPU (%.0f lines per CPU-second), %zu threads\n",
                total_lines, total_wall, total_lines / total_wall, total_cpu, total_lines / total_cpu, options.threads);
  if (!json_path.empty()) {
    nlohmann::json out = {{"systems", results}, {"mean_ga_line", mean_full}, {"mean_ga_message", mean_message},
                          {"mean_ga_online", mean_online},
                          {"seeds", seeds}, {"lines", lines}, {"set", set_arg}, {"threads", options.threads}};
    if (throughput_lines > 0) out["lines_per_second"] = total_lines / total_wall;
    std::ofstream(json_path) << out.dump(2) << "\n";
  }
  return 0;
}
