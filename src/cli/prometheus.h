// Reading samples of one metric out of the Prometheus text exposition format that GET /metrics answers.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace maas::cli {

struct MetricSample {
  std::map<std::string, std::string> labels;  // unescaped values
  double value = 0;
};

// The samples of `metric` in `text`, in order. Comments, other metrics (including `metric_suffix` ones) and
// lines that do not parse are skipped: a client reads what it understands of a newer server's output.
std::vector<MetricSample> parse_metric_samples(std::string_view text, std::string_view metric);

}  // namespace maas::cli
