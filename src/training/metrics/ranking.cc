#include "training/metrics/ranking.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace maas::training::metrics {
namespace {

// sklearn's _binary_clf_curve: at each distinct score, from the highest, the positives and negatives ranked at
// or above it.
struct Curve {
  std::vector<double> false_positives, true_positives;
};

Curve binary_curve(Labels y_true, Values scores, int64_t pos_label) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  Curve curve;
  double positives = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    positives += y_true[order[i]] == pos_label ? 1 : 0;
    if (i + 1 == order.size() || scores[order[i + 1]] != scores[order[i]]) {
      curve.true_positives.push_back(positives);
      curve.false_positives.push_back(static_cast<double>(i + 1) - positives);
    }
  }
  return curve;
}

double trapezoid(const std::vector<double>& x, const std::vector<double>& y) {
  double area = 0;
  for (size_t i = 1; i < x.size(); ++i) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0;
  return area;
}

Status check_scores(Labels y_true, Values scores, const char* what) {
  MAAS_RETURN_IF_ERROR(check_same_length(y_true.size(), scores.size(), what));
  for (double s : scores) {
    if (!std::isfinite(s)) return invalid_argument(std::string(what) + ": a score is not a finite number");
  }
  return {};
}

// The ROC AUC of `pos_label` against every other label.
Result<double> one_vs_rest_auc(Labels y_true, Values scores, int64_t pos_label) {
  Curve c = binary_curve(y_true, scores, pos_label);
  double positives = c.true_positives.back();
  double negatives = c.false_positives.back();
  if (positives == 0 || negatives == 0) {
    return invalid_argument("ROC AUC: y_true needs both samples of label " + std::to_string(pos_label) +
                            " and of other labels");
  }
  std::vector<double> fpr{0.0}, tpr{0.0};
  for (size_t i = 0; i < c.true_positives.size(); ++i) {
    fpr.push_back(c.false_positives[i] / negatives);
    tpr.push_back(c.true_positives[i] / positives);
  }
  return trapezoid(fpr, tpr);
}

}  // namespace

Result<double> roc_auc(Labels y_true, Values scores, int64_t pos_label) {
  MAAS_RETURN_IF_ERROR(check_scores(y_true, scores, "ROC AUC"));
  if (sorted_labels(y_true).size() != 2) {
    return invalid_argument("ROC AUC: y_true must hold exactly two classes; the AUC is undefined otherwise");
  }
  return one_vs_rest_auc(y_true, scores, pos_label);
}

Result<double> roc_auc_ovr(Labels y_true, ScoreMatrix probabilities, Average average) {
  MAAS_RETURN_IF_ERROR(check_same_length(y_true.size(), probabilities.rows(), "ROC AUC"));
  if (average != Average::kMacro && average != Average::kWeighted) {
    return invalid_argument("ROC AUC one-vs-rest averages macro or weighted");
  }
  std::vector<int64_t> classes = sorted_labels(y_true);
  if (classes.size() != probabilities.cols) {
    return invalid_argument("ROC AUC: y_true has " + std::to_string(classes.size()) + " classes but the scores have " +
                            std::to_string(probabilities.cols) + " columns");
  }
  for (size_t r = 0; r < probabilities.rows(); ++r) {
    double sum = 0;
    for (size_t c = 0; c < probabilities.cols; ++c) sum += probabilities.at(r, c);
    if (std::abs(sum - 1.0) > 1e-8 + 1e-5) {
      return invalid_argument("ROC AUC: the class probabilities of row " + std::to_string(r) + " do not sum to 1");
    }
  }
  double sum = 0;
  double weights = 0;
  std::vector<double> column(probabilities.rows());
  for (size_t c = 0; c < classes.size(); ++c) {
    for (size_t r = 0; r < column.size(); ++r) column[r] = probabilities.at(r, c);
    MAAS_ASSIGN_OR_RETURN(double auc, one_vs_rest_auc(y_true, column, classes[c]));
    double w = 1.0;
    if (average == Average::kWeighted) w = static_cast<double>(std::count(y_true.begin(), y_true.end(), classes[c]));
    sum += auc * w;
    weights += w;
  }
  return sum / weights;
}

Result<double> average_precision(Labels y_true, Values scores, int64_t pos_label) {
  MAAS_RETURN_IF_ERROR(check_scores(y_true, scores, "average precision"));
  if (sorted_labels(y_true).size() > 2) return invalid_argument("average precision: y_true must be binary");
  Curve c = binary_curve(y_true, scores, pos_label);
  const double positives = c.true_positives.back();
  // sum over thresholds, from the highest, of (recall gained) x precision; recall is 1 throughout without positives.
  double ap = 0;
  double previous_recall = 0;
  for (size_t i = 0; i < c.true_positives.size(); ++i) {
    double predicted = c.true_positives[i] + c.false_positives[i];
    double precision = predicted == 0 ? 0.0 : c.true_positives[i] / predicted;
    double recall = positives == 0 ? 1.0 : c.true_positives[i] / positives;
    ap += (recall - previous_recall) * precision;
    previous_recall = recall;
  }
  return ap;
}

Result<double> ndcg(std::span<const RankedQuery> queries, std::optional<size_t> k) {
  if (queries.empty()) return invalid_argument("NDCG: there are no queries");
  if (k && *k == 0) return invalid_argument("NDCG: k must be at least 1");
  double total = 0;
  for (const RankedQuery& q : queries) {
    MAAS_RETURN_IF_ERROR(check_same_length(q.relevance.size(), q.scores.size(), "NDCG"));
    const size_t n = q.relevance.size();
    std::vector<double> discount(n);
    for (size_t i = 0; i < n; ++i) {
      if (q.relevance[i] < 0) return invalid_argument("NDCG: relevance must not be negative");
      discount[i] = (k && i >= *k) ? 0.0 : 1.0 / (std::log(static_cast<double>(i) + 2) / std::log(2.0));
    }
    std::vector<double> cumulative(n);
    std::partial_sum(discount.begin(), discount.end(), cumulative.begin());
    // Documents that tie on their score share their mean gain over the ranks they occupy together.
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return q.scores[a] > q.scores[b]; });
    double dcg = 0;
    double covered = 0;
    for (size_t start = 0; start < n;) {
      size_t end = start;
      double gains = 0;
      while (end < n && q.scores[order[end]] == q.scores[order[start]]) gains += q.relevance[order[end++]];
      dcg += gains / static_cast<double>(end - start) * (cumulative[end - 1] - covered);
      covered = cumulative[end - 1];
      start = end;
    }
    std::vector<double> ideal(q.relevance.begin(), q.relevance.end());
    std::sort(ideal.begin(), ideal.end(), std::greater<>());
    double ideal_dcg = 0;
    for (size_t i = 0; i < n; ++i) ideal_dcg += discount[i] * ideal[i];
    total += ideal_dcg == 0 ? 0.0 : dcg / ideal_dcg;
  }
  return total / static_cast<double>(queries.size());
}

}  // namespace maas::training::metrics
