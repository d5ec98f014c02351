#include "training/metrics/probability.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace maas::training::metrics {
namespace {

Status check_probabilities(Values probabilities, const char* what) {
  for (double p : probabilities) {
    if (!(p >= 0.0 && p <= 1.0)) return invalid_argument(std::string(what) + ": probabilities must lie in [0, 1]");
  }
  return {};
}

// numpy.percentile(sorted, q * 100) with its default linear method, step for step, so that bin edges that fall
// on a sample equal it exactly as they do in numpy.
double percentile(const std::vector<double>& sorted, double q) {
  double index = static_cast<double>(sorted.size() - 1) * (q * 100.0 / 100.0);
  if (index >= static_cast<double>(sorted.size() - 1)) return sorted.back();
  double below = std::floor(index);
  double t = index - below;
  double a = sorted[static_cast<size_t>(below)];
  double b = sorted[static_cast<size_t>(below) + 1];
  double diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

}  // namespace

Result<double> log_loss(Labels y_true, ScoreMatrix probabilities) {
  MAAS_RETURN_IF_ERROR(check_same_length(y_true.size(), probabilities.rows(), "log loss"));
  const size_t classes = probabilities.cols == 1 ? 2 : probabilities.cols;
  const double eps = std::numeric_limits<double>::epsilon();
  double total = 0;
  for (size_t r = 0; r < y_true.size(); ++r) {
    if (y_true[r] < 0 || static_cast<size_t>(y_true[r]) >= classes) {
      return invalid_argument("log loss: label " + std::to_string(y_true[r]) + " is not one of 0.." +
                              std::to_string(classes - 1));
    }
    std::vector<double> row;
    if (probabilities.cols == 1) {
      double p = std::clamp(probabilities.at(r, 0), eps, 1 - eps);
      row = {1 - p, p};
    } else {
      for (size_t c = 0; c < classes; ++c) row.push_back(std::clamp(probabilities.at(r, c), eps, 1 - eps));
    }
    double sum = 0;
    for (double p : row) sum += p;
    total += -std::log(row[static_cast<size_t>(y_true[r])] / sum);
  }
  return total / static_cast<double>(y_true.size());
}

Result<double> brier(Labels y_true, Values probabilities, int64_t pos_label) {
  MAAS_RETURN_IF_ERROR(check_same_length(y_true.size(), probabilities.size(), "Brier score"));
  MAAS_RETURN_IF_ERROR(check_probabilities(probabilities, "Brier score"));
  if (sorted_labels(y_true).size() > 2) return invalid_argument("Brier score: y_true must be binary");
  double total = 0;
  for (size_t i = 0; i < y_true.size(); ++i) {
    double outcome = y_true[i] == pos_label ? 1.0 : 0.0;
    total += (outcome - probabilities[i]) * (outcome - probabilities[i]);
  }
  return total / static_cast<double>(y_true.size());
}

Result<CalibrationCurve> calibration_curve(Labels y_true, Values probabilities, size_t bins, BinStrategy strategy,
                                           int64_t pos_label) {
  MAAS_RETURN_IF_ERROR(check_same_length(y_true.size(), probabilities.size(), "calibration curve"));
  MAAS_RETURN_IF_ERROR(check_probabilities(probabilities, "calibration curve"));
  if (bins == 0) return invalid_argument("calibration curve: bins must be at least 1");
  if (sorted_labels(y_true).size() > 2) return invalid_argument("calibration curve: y_true must be binary");
  // The inner edges (numpy.linspace(0, 1, bins + 1)[1:-1], or those quantiles of the probabilities).
  std::vector<double> sorted(probabilities.begin(), probabilities.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> edges;
  for (size_t i = 1; i < bins; ++i) {
    double q = static_cast<double>(i) * (1.0 / static_cast<double>(bins));
    edges.push_back(strategy == BinStrategy::kUniform ? q : percentile(sorted, q));
  }
  std::vector<double> sums(bins, 0), positives(bins, 0), counts(bins, 0);
  for (size_t i = 0; i < probabilities.size(); ++i) {
    // numpy.searchsorted(edges, p, side="left"): the edges strictly below p.
    size_t bin = static_cast<size_t>(std::lower_bound(edges.begin(), edges.end(), probabilities[i]) - edges.begin());
    sums[bin] += probabilities[i];
    positives[bin] += y_true[i] == pos_label ? 1 : 0;
    counts[bin] += 1;
  }
  CalibrationCurve curve;
  for (size_t b = 0; b < bins; ++b) {
    if (counts[b] == 0) continue;
    curve.fraction_of_positives.push_back(positives[b] / counts[b]);
    curve.mean_predicted.push_back(sums[b] / counts[b]);
  }
  return curve;
}

}  // namespace maas::training::metrics
