#include "training/evaluation.h"

#include "training/metrics/classification.h"
#include "training/metrics/probability.h"
#include "training/metrics/ranking.h"
#include "training/metrics/regression.h"

namespace maas::training {
namespace {

using nlohmann::json;
namespace m = metrics;

void put(json& out, const char* name, const Result<double>& value) {
  if (value.ok()) out[name] = *value;
}

Result<std::vector<int64_t>> class_labels(const std::vector<double>& label, size_t classes) {
  std::vector<int64_t> out;
  for (double y : label) {
    if (y != static_cast<double>(static_cast<int64_t>(y)) || y < 0 || y >= static_cast<double>(classes)) {
      return invalid_argument("a class label is " + std::to_string(y) + "; labels must be 0 to " +
                              std::to_string(classes - 1));
    }
    out.push_back(static_cast<int64_t>(y));
  }
  return out;
}

Result<json> binary(const Predictions& p) {
  MAAS_ASSIGN_OR_RETURN(auto y, class_labels(p.label, 2));
  std::vector<int64_t> decided;
  for (double prob : p.values) decided.push_back(prob > 0.5 ? 1 : 0);
  json out;
  put(out, "accuracy", m::accuracy(y, decided));
  if (auto prf = m::precision_recall_f1(y, decided, m::Average::kBinary); prf.ok()) {
    out["precision"] = prf->precision;
    out["recall"] = prf->recall;
    out["f1"] = prf->f1;
  }
  put(out, "roc_auc", m::roc_auc(y, p.values));
  put(out, "average_precision", m::average_precision(y, p.values));
  put(out, "log_loss", m::log_loss(y, m::ScoreMatrix{p.values, 1}));
  put(out, "brier", m::brier(y, p.values));
  return out;
}

Result<json> multiclass(const Predictions& p) {
  MAAS_ASSIGN_OR_RETURN(auto y, class_labels(p.label, p.columns));
  std::vector<int64_t> decided;
  for (size_t r = 0; r < p.label.size(); ++r) {
    size_t best = 0;
    for (size_t c = 1; c < p.columns; ++c)
      best = p.values[r * p.columns + c] > p.values[r * p.columns + best] ? c : best;
    decided.push_back(static_cast<int64_t>(best));
  }
  json out;
  put(out, "accuracy", m::accuracy(y, decided));
  if (auto f = m::precision_recall_f1(y, decided, m::Average::kMacro); f.ok()) out["f1_macro"] = f->f1;
  if (auto f = m::precision_recall_f1(y, decided, m::Average::kWeighted); f.ok()) out["f1_weighted"] = f->f1;
  m::ScoreMatrix scores{p.values, p.columns};
  put(out, "log_loss", m::log_loss(y, scores));
  if (m::sorted_labels(y).size() == p.columns) put(out, "roc_auc_ovr", m::roc_auc_ovr(y, scores, m::Average::kMacro));
  return out;
}

Result<json> ranking(const Predictions& p) {
  std::vector<m::RankedQuery> queries;
  size_t start = 0;
  for (unsigned size : p.group_sizes) {
    queries.push_back({m::Values(p.label).subspan(start, size), m::Values(p.values).subspan(start, size)});
    start += size;
  }
  json out;
  put(out, "ndcg@5", m::ndcg(queries, 5));
  put(out, "ndcg@10", m::ndcg(queries, 10));
  put(out, "ndcg", m::ndcg(queries, std::nullopt));
  return out;
}

}  // namespace

Result<json> evaluate(Task task, const Predictions& p) {
  if (p.label.empty() || p.values.size() != p.label.size() * p.columns) {
    return invalid_argument("predictions and labels differ in length");
  }
  switch (task) {
    case Task::kBinary:
      return binary(p);
    case Task::kMulticlass:
      return multiclass(p);
    case Task::kRanking:
      return ranking(p);
    case Task::kRegression:
      break;
  }
  json out;
  put(out, "rmse", m::rmse(p.label, p.values));
  put(out, "mae", m::mae(p.label, p.values));
  put(out, "r2", m::r2(p.label, p.values));
  put(out, "mape", m::mape(p.label, p.values));
  return out;
}

const std::set<std::string>& metric_names() {
  static const std::set<std::string> kNames = {
      "accuracy", "precision", "recall",   "f1",          "roc_auc",     "average_precision",
      "log_loss", "brier",     "f1_macro", "f1_weighted", "roc_auc_ovr", "rmse",
      "mae",      "r2",        "mape",     "ndcg@5",      "ndcg@10",     "ndcg"};
  return kNames;
}

bool higher_is_better(const std::string& metric) {
  for (const char* lower : {"log_loss", "brier", "rmse", "mae", "mape", "loss"}) {
    if (metric == lower) return false;
  }
  return true;
}

}  // namespace maas::training
