// maas-logcorpus: writes a labelled corpus: one system's lines on stdout, their template ids in --truth.
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "discovery/corpus.h"

int main(int argc, char** argv) {
  CLI::App app{"Generates log lines from a template spec (tests/data/logs/*.tpl)"};
  std::string spec_path, truth_path;
  uint64_t seed = 1;
  size_t lines = 2000;
  bool message_only = false, development = false;
  app.add_option("spec", spec_path, "the spec file")->required();
  app.add_option("--seed", seed)->capture_default_str();
  app.add_option("--lines", lines)->capture_default_str();
  app.add_option("--truth", truth_path, "write each line's template index here, one per line");
  app.add_flag("--message-only", message_only, "lines without their header");
  app.add_flag("--development", development, "leave out the held-out templates");
  CLI11_PARSE(app, argc, argv);
  auto spec = maas::data::discovery::corpus::load_spec(spec_path);
  if (!spec.ok()) {
    std::cerr << spec.status().to_string() << "\n";
    return 1;
  }
  using maas::data::discovery::corpus::TemplateSet;
  auto corpus = generate(*spec, seed, lines, development ? TemplateSet::kDevelopment : TemplateSet::kAll);
  std::ofstream truth;
  if (!truth_path.empty()) truth.open(truth_path);
  for (const auto& l : corpus) {
    std::cout << (message_only ? l.message : l.line) << "\n";
    if (truth) truth << l.truth << "\n";
  }
  return 0;
}
