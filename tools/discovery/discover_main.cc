// maas-discover: log lines on stdin, the JSON of POST /api/v1/rules/discover on stdout (outside benchmarks drive
// the discovery through it without a server).
#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "data/discovery/discover.h"

int main(int argc, char** argv) {
  CLI::App app{"Finds the templates of the log lines on stdin; prints {\"templates\": [...], \"assignments\": [...]}"};
  maas::data::discovery::DiscoverOptions options;
  app.add_option("--threads", options.threads, "threads mining the lines")->capture_default_str();
  app.add_option("--constant-max-values", options.grouping.constant_max_values,
                 "a position with at most this many values splits templates")->capture_default_str();
  app.add_option("--variable-min-values", options.grouping.variable_min_values,
                 "a position with more than this many values is a parameter")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  std::string body;
  char buffer[1 << 16];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, stdin)) body.append(buffer, n);
  auto json = maas::data::discovery::discover_json(body, options);
  if (!json.ok()) {
    std::cerr << json.status().to_string() << "\n";
    return 1;
  }
  std::cout << *json << "\n";
  return 0;
}
