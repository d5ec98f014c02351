#include "training/compare/paired_bootstrap.h"

#include <algorithm>
#include <cmath>

#include "training/cv/numpy_shuffle.h"

namespace maas::training::compare {
namespace {

// The metric of `p` on rows `rows` (every row when null); nullopt when it is undefined there.
Result<std::optional<double>> metric_on(Task task, const Predictions& p, const std::vector<size_t>* rows,
                                        const std::string& metric) {
  Predictions sample;
  if (rows) {
    sample.columns = p.columns;
    sample.label.reserve(rows->size());
    sample.values.reserve(rows->size() * p.columns);
    for (size_t row : *rows) {
      sample.label.push_back(p.label[row]);
      sample.values.insert(sample.values.end(), p.values.begin() + static_cast<std::ptrdiff_t>(row * p.columns),
                           p.values.begin() + static_cast<std::ptrdiff_t>((row + 1) * p.columns));
    }
  }
  MAAS_ASSIGN_OR_RETURN(nlohmann::json metrics, evaluate(task, rows ? sample : p));
  auto it = metrics.find(metric);
  if (it == metrics.end()) return std::optional<double>();
  return std::optional<double>(it->get<double>());
}

// numpy.percentile(values, q) with its default linear method (its _lerp: from the upper value past the middle);
// values sorted ascending.
double percentile(const std::vector<double>& sorted, double q) {
  const double n = static_cast<double>(sorted.size());
  const double position = std::clamp(n * (q / 100.0) - q / 100.0, 0.0, n - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double t = position - static_cast<double>(below);
  const double step = sorted[above] - sorted[below];
  return t >= 0.5 ? sorted[above] - step * (1 - t) : sorted[below] + step * t;
}

}  // namespace

std::vector<std::string> comparable_metrics(Task task) {
  switch (task) {
    case Task::kBinary:
      return {"roc_auc", "accuracy", "precision", "recall", "f1", "average_precision", "log_loss", "brier"};
    case Task::kMulticlass:
      return {"accuracy", "f1_macro", "f1_weighted", "log_loss", "roc_auc_ovr"};
    case Task::kRegression:
      return {"rmse", "mae", "r2", "mape"};
    case Task::kRanking:
      break;
  }
  return {};
}

Result<BootstrapResult> paired_bootstrap(Task task, const Predictions& a, const Predictions& b,
                                         const BootstrapOptions& options, const ResampleProgress& progress) {
  if (task == Task::kRanking) return invalid_argument("train.compare does not resample ranking queries yet");
  if (a.label != b.label) return invalid_argument("the two models were evaluated on different rows");
  BootstrapResult out;
  out.higher_is_better = higher_is_better(options.metric);
  MAAS_ASSIGN_OR_RETURN(std::optional<double> value_a, metric_on(task, a, nullptr, options.metric));
  MAAS_ASSIGN_OR_RETURN(std::optional<double> value_b, metric_on(task, b, nullptr, options.metric));
  if (!value_a || !value_b) {
    return invalid_argument("the metric '" + options.metric + "' is not defined on these rows for this task");
  }
  out.a = *value_a;
  out.b = *value_b;
  out.difference = out.b - out.a;
  const size_t rows = a.label.size();
  cv::NumpyRandomState random(options.seed);
  std::vector<size_t> drawn(rows);
  std::vector<double> differences;
  differences.reserve(static_cast<size_t>(options.resamples));
  for (int64_t r = 0; r < options.resamples; ++r) {
    for (size_t& row : drawn) row = random.random_interval(rows - 1);
    MAAS_ASSIGN_OR_RETURN(std::optional<double> on_a, metric_on(task, a, &drawn, options.metric));
    MAAS_ASSIGN_OR_RETURN(std::optional<double> on_b, metric_on(task, b, &drawn, options.metric));
    if (on_a && on_b) differences.push_back(*on_b - *on_a);
    if (progress && (r + 1) % 100 == 0 && !progress(r + 1)) {
      return unavailable("stopped after " + std::to_string(r + 1) + " resamples");
    }
  }
  out.used = static_cast<int64_t>(differences.size());
  if (differences.empty()) return invalid_argument("the metric is undefined on every resample");
  int64_t flipped = 0;
  for (double d : differences) {
    if (out.difference > 0 ? d <= 0 : d >= 0) ++flipped;
  }
  out.p_value = out.difference == 0
                    ? 1.0
                    : std::min(1.0, 2.0 * static_cast<double>(flipped) / static_cast<double>(differences.size()));
  std::sort(differences.begin(), differences.end());
  const double tail = (1.0 - options.confidence) / 2.0 * 100.0;
  out.ci_low = percentile(differences, tail);
  out.ci_high = percentile(differences, 100.0 - tail);
  return out;
}

}  // namespace maas::training::compare
