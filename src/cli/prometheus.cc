// A line-by-line reader of Prometheus samples: `name{label="value",...} value [timestamp]`.
#include "cli/prometheus.h"

#include <charconv>
#include <cmath>
#include <optional>

namespace maas::cli {
namespace {

void skip_blanks(std::string_view& text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
}

// `{a="x",b="y\"z"}` at the start of `text`, consumed; nullopt when malformed.
std::optional<std::map<std::string, std::string>> read_labels(std::string_view& text) {
  std::map<std::string, std::string> labels;
  text.remove_prefix(1);  // '{'
  while (true) {
    skip_blanks(text);
    if (text.empty()) return std::nullopt;
    if (text.front() == '}') {
      text.remove_prefix(1);
      return labels;
    }
    const size_t eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 >= text.size() || text[eq + 1] != '"') return std::nullopt;
    std::string name(text.substr(0, eq));
    while (!name.empty() && name.back() == ' ') name.pop_back();
    text.remove_prefix(eq + 2);
    std::string value;
    while (!text.empty() && text.front() != '"') {
      if (text.front() == '\\' && text.size() > 1) {
        text.remove_prefix(1);
        value += text.front() == 'n' ? '\n' : text.front();
      } else {
        value += text.front();
      }
      text.remove_prefix(1);
    }
    if (text.empty()) return std::nullopt;
    text.remove_prefix(1);  // closing quote
    labels[std::move(name)] = std::move(value);
    skip_blanks(text);
    if (!text.empty() && text.front() == ',') text.remove_prefix(1);
  }
}

std::optional<double> read_value(std::string_view text) {
  skip_blanks(text);
  const std::string_view token = text.substr(0, text.find_first_of(" \t\r"));
  if (token == "+Inf" || token == "Inf") return INFINITY;
  if (token == "-Inf") return -INFINITY;
  if (token == "NaN") return NAN;
  double value = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return value;
}

}  // namespace

std::vector<MetricSample> parse_metric_samples(std::string_view text, std::string_view metric) {
  std::vector<MetricSample> samples;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);

    if (line.substr(0, metric.size()) != metric) continue;
    line.remove_prefix(metric.size());
    if (line.empty() || (line.front() != '{' && line.front() != ' ' && line.front() != '\t')) continue;
    MetricSample sample;
    if (line.front() == '{') {
      auto labels = read_labels(line);
      if (!labels) continue;
      sample.labels = std::move(*labels);
    }
    auto value = read_value(line);
    if (!value) continue;
    sample.value = *value;
    samples.push_back(std::move(sample));
  }
  return samples;
}

}  // namespace maas::cli
