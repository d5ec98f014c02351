// Reads one metric request per line of stdin (training/metrics/metric_json.h) and writes one line per request:
// {"value": ...} or {"error": "..."}. The sklearn-fidelity test drives it.
#include <iostream>
#include <string>

#include "training/metrics/metric_json.h"

int main() try {
  std::string line;
  while (std::getline(std::cin, line)) {
    nlohmann::json request = nlohmann::json::parse(line, nullptr, false);
    auto result = maas::training::metrics::compute_metric(request);
    nlohmann::json out =
        result.ok() ? nlohmann::json{{"value", *result}} : nlohmann::json{{"error", result.status().message()}};
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n" << std::flush;
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "training_metrics_check: " << e.what() << "\n";
  return 1;
}
