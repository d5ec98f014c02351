#include "training/metrics/classification.h"

#include <algorithm>
#include <map>

namespace maas::training::metrics {
namespace {

struct LabelCounts {
  std::vector<double> true_positives, predicted, actual;  // per label, in label order
};

LabelCounts count_labels(Labels y_true, Labels y_pred, const std::vector<int64_t>& labels) {
  std::map<int64_t, size_t> index;
  for (size_t i = 0; i < labels.size(); ++i) index[labels[i]] = i;
  LabelCounts c;
  c.true_positives.assign(labels.size(), 0);
  c.predicted.assign(labels.size(), 0);
  c.actual.assign(labels.size(), 0);
  for (size_t i = 0; i < y_true.size(); ++i) {
    auto t = index.find(y_true[i]);
    auto p = index.find(y_pred[i]);
    if (t != index.end()) c.actual[t->second] += 1;
    if (p != index.end()) c.predicted[p->second] += 1;
    if (t != index.end() && y_true[i] == y_pred[i]) c.true_positives[t->second] += 1;
  }
  return c;
}

double divide(double numerator, double denominator, ZeroDivision zero_division) {
  if (denominator == 0) return zero_division == ZeroDivision::kOne ? 1.0 : 0.0;
  return numerator / denominator;
}

double mean(const std::vector<double>& values, const std::vector<double>* weights) {
  double sum = 0;
  double total = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    double w = weights ? (*weights)[i] : 1.0;
    sum += values[i] * w;
    total += w;
  }
  return sum / total;
}

}  // namespace

Result<double> accuracy(Labels y_true, Labels y_pred) {
  MAAS_RETURN_IF_ERROR(check_same_length(y_true.size(), y_pred.size(), "accuracy"));
  size_t right = 0;
  for (size_t i = 0; i < y_true.size(); ++i) right += y_true[i] == y_pred[i] ? 1 : 0;
  return static_cast<double>(right) / static_cast<double>(y_true.size());
}

Result<PrecisionRecallF1> precision_recall_f1(Labels y_true, Labels y_pred, Average average, ZeroDivision zero_division,
                                              int64_t pos_label) {
  MAAS_RETURN_IF_ERROR(check_same_length(y_true.size(), y_pred.size(), "precision/recall/F1"));
  std::vector<int64_t> labels = sorted_labels(y_true, y_pred);
  if (average == Average::kBinary) {
    if (labels.size() > 2) {
      return invalid_argument("average 'binary' needs at most two labels, found " + std::to_string(labels.size()) +
                              "; use micro, macro or weighted");
    }
    if (labels.size() == 2 && !std::binary_search(labels.begin(), labels.end(), pos_label)) {
      return invalid_argument("the positive label " + std::to_string(pos_label) + " is not one of the labels");
    }
    labels = {pos_label};
  }
  LabelCounts c = count_labels(y_true, y_pred, labels);
  if (average == Average::kMicro) {
    auto total = [](const std::vector<double>& v) {
      double s = 0;
      for (double x : v) s += x;
      return std::vector<double>{s};
    };
    c = {total(c.true_positives), total(c.predicted), total(c.actual)};
  }
  std::vector<double> precision, recall, f1;
  for (size_t i = 0; i < c.true_positives.size(); ++i) {
    double p = divide(c.true_positives[i], c.predicted[i], zero_division);
    double r = divide(c.true_positives[i], c.actual[i], zero_division);
    double denominator = p + r;
    precision.push_back(p);
    recall.push_back(r);
    f1.push_back(2 * p * r / (denominator == 0 ? 1.0 : denominator));
  }
  const std::vector<double>* weights = nullptr;
  if (average == Average::kWeighted) {
    double support = 0;
    double predicted = 0;
    for (size_t i = 0; i < c.actual.size(); ++i) support += c.actual[i], predicted += c.predicted[i];
    if (support == 0) {
      // sklearn: no true sample of any label; precision and F1 are zero_division only when nothing was predicted.
      double z = zero_division == ZeroDivision::kOne ? 1.0 : 0.0;
      return predicted == 0 ? PrecisionRecallF1{z, z, z} : PrecisionRecallF1{0.0, z, 0.0};
    }
    weights = &c.actual;
  }
  return PrecisionRecallF1{mean(precision, weights), mean(recall, weights), mean(f1, weights)};
}

Result<ConfusionMatrix> confusion_matrix(Labels y_true, Labels y_pred) {
  MAAS_RETURN_IF_ERROR(check_same_length(y_true.size(), y_pred.size(), "confusion matrix"));
  ConfusionMatrix m;
  m.labels = sorted_labels(y_true, y_pred);
  m.counts.assign(m.labels.size(), std::vector<int64_t>(m.labels.size(), 0));
  auto index = [&](int64_t label) {
    return static_cast<size_t>(std::lower_bound(m.labels.begin(), m.labels.end(), label) - m.labels.begin());
  };
  for (size_t i = 0; i < y_true.size(); ++i) m.counts[index(y_true[i])][index(y_pred[i])] += 1;
  return m;
}

}  // namespace maas::training::metrics
