#include "training/metrics/metric_json.h"

#include "training/metrics/classification.h"
#include "training/metrics/probability.h"
#include "training/metrics/ranking.h"
#include "training/metrics/regression.h"

namespace maas::training::metrics {
namespace {

using nlohmann::json;

Result<json> as_json(const Result<double>& value) {
  if (!value.ok()) return value.status();
  return json(*value);
}

Result<const json*> field(const json& request, const char* name) {
  auto it = request.find(name);
  if (it == request.end()) return invalid_argument(std::string("field '") + name + "' is required");
  return &*it;
}

Result<std::vector<int64_t>> labels_field(const json& request, const char* name) {
  MAAS_ASSIGN_OR_RETURN(const json* value, field(request, name));
  if (!value->is_array()) return invalid_argument(std::string("field '") + name + "' must be an array of integers");
  std::vector<int64_t> out;
  for (const json& v : *value) {
    if (!v.is_number_integer()) return invalid_argument(std::string("field '") + name + "' must hold integers only");
    out.push_back(v.get<int64_t>());
  }
  return out;
}

Result<std::vector<double>> values_field(const json& request, const char* name) {
  MAAS_ASSIGN_OR_RETURN(const json* value, field(request, name));
  if (!value->is_array()) return invalid_argument(std::string("field '") + name + "' must be an array of numbers");
  std::vector<double> out;
  for (const json& v : *value) {
    if (!v.is_number()) return invalid_argument(std::string("field '") + name + "' must hold numbers only");
    out.push_back(v.get<double>());
  }
  return out;
}

// A matrix of rows (one per sample) or a flat array (one column).
Result<std::pair<std::vector<double>, size_t>> matrix_field(const json& request, const char* name) {
  MAAS_ASSIGN_OR_RETURN(const json* value, field(request, name));
  if (!value->is_array() || value->empty())
    return invalid_argument(std::string("field '") + name + "' must be a non-empty array");
  if (!value->front().is_array()) {
    MAAS_ASSIGN_OR_RETURN(auto flat, values_field(request, name));
    return std::pair{std::move(flat), size_t{1}};
  }
  std::vector<double> out;
  const size_t cols = value->front().size();
  for (const json& row : *value) {
    if (!row.is_array() || row.size() != cols || cols == 0) {
      return invalid_argument(std::string("field '") + name + "' must be rows of equally many numbers");
    }
    for (const json& v : row) {
      if (!v.is_number()) return invalid_argument(std::string("field '") + name + "' must hold numbers only");
      out.push_back(v.get<double>());
    }
  }
  return std::pair{std::move(out), cols};
}

Result<std::string> string_option(const json& request, const char* name, const char* fallback) {
  auto it = request.find(name);
  if (it == request.end()) return std::string(fallback);
  if (!it->is_string()) return invalid_argument(std::string("field '") + name + "' must be a string");
  return it->get<std::string>();
}

Result<int64_t> integer_option(const json& request, const char* name, int64_t fallback) {
  auto it = request.find(name);
  if (it == request.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) return invalid_argument(std::string("field '") + name + "' must be an integer");
  return it->get<int64_t>();
}

Result<Average> average_option(const json& request, const char* fallback) {
  MAAS_ASSIGN_OR_RETURN(std::string name, string_option(request, "average", fallback));
  if (name == "binary") return Average::kBinary;
  if (name == "micro") return Average::kMicro;
  if (name == "macro") return Average::kMacro;
  if (name == "weighted") return Average::kWeighted;
  return invalid_argument("field 'average' must be binary, micro, macro or weighted, not '" + name + "'");
}

Result<json> classification_metric(const std::string& metric, const json& request) {
  MAAS_ASSIGN_OR_RETURN(auto y_true, labels_field(request, "y_true"));
  MAAS_ASSIGN_OR_RETURN(auto y_pred, labels_field(request, "y_pred"));
  if (metric == "accuracy") return as_json(accuracy(y_true, y_pred));
  if (metric == "confusion_matrix") {
    MAAS_ASSIGN_OR_RETURN(ConfusionMatrix m, confusion_matrix(y_true, y_pred));
    return json{{"labels", m.labels}, {"counts", m.counts}};
  }
  MAAS_ASSIGN_OR_RETURN(Average average, average_option(request, "binary"));
  MAAS_ASSIGN_OR_RETURN(int64_t zero, integer_option(request, "zero_division", 0));
  if (zero != 0 && zero != 1) return invalid_argument("field 'zero_division' must be 0 or 1");
  MAAS_ASSIGN_OR_RETURN(int64_t pos_label, integer_option(request, "pos_label", 1));
  MAAS_ASSIGN_OR_RETURN(
      PrecisionRecallF1 prf,
      precision_recall_f1(y_true, y_pred, average, zero == 1 ? ZeroDivision::kOne : ZeroDivision::kZero, pos_label));
  if (metric == "precision") return json(prf.precision);
  if (metric == "recall") return json(prf.recall);
  return json(prf.f1);
}

Result<json> score_metric(const std::string& metric, const json& request) {
  MAAS_ASSIGN_OR_RETURN(auto y_true, labels_field(request, "y_true"));
  MAAS_ASSIGN_OR_RETURN(auto scores, matrix_field(request, "scores"));
  ScoreMatrix matrix{scores.first, scores.second};
  MAAS_ASSIGN_OR_RETURN(int64_t pos_label, integer_option(request, "pos_label", 1));
  if (metric == "log_loss") return as_json(log_loss(y_true, matrix));
  if (metric == "roc_auc" && matrix.cols > 1) {
    MAAS_ASSIGN_OR_RETURN(Average average, average_option(request, "macro"));
    return as_json(roc_auc_ovr(y_true, matrix, average));
  }
  if (matrix.cols != 1) return invalid_argument("metric '" + metric + "' takes one score per sample");
  if (metric == "roc_auc") return as_json(roc_auc(y_true, scores.first, pos_label));
  if (metric == "average_precision") return as_json(average_precision(y_true, scores.first, pos_label));
  if (metric == "brier") return as_json(brier(y_true, scores.first, pos_label));
  MAAS_ASSIGN_OR_RETURN(int64_t bins, integer_option(request, "bins", 5));
  if (bins < 1) return invalid_argument("field 'bins' must be at least 1");
  MAAS_ASSIGN_OR_RETURN(std::string strategy, string_option(request, "strategy", "uniform"));
  if (strategy != "uniform" && strategy != "quantile") {
    return invalid_argument("field 'strategy' must be uniform or quantile");
  }
  MAAS_ASSIGN_OR_RETURN(
      CalibrationCurve curve,
      calibration_curve(y_true, scores.first, static_cast<size_t>(bins),
                        strategy == "uniform" ? BinStrategy::kUniform : BinStrategy::kQuantile, pos_label));
  return json{{"fraction_of_positives", curve.fraction_of_positives}, {"mean_predicted", curve.mean_predicted}};
}

Result<json> regression_metric(const std::string& metric, const json& request) {
  MAAS_ASSIGN_OR_RETURN(auto y_true, values_field(request, "y_true"));
  MAAS_ASSIGN_OR_RETURN(auto y_pred, values_field(request, "y_pred"));
  Result<double> value = metric == "rmse"  ? rmse(y_true, y_pred)
                         : metric == "mae" ? mae(y_true, y_pred)
                         : metric == "r2"  ? r2(y_true, y_pred)
                                           : mape(y_true, y_pred);
  return as_json(value);
}

Result<json> ndcg_metric(const json& request) {
  MAAS_ASSIGN_OR_RETURN(const json* queries, field(request, "queries"));
  if (!queries->is_array()) return invalid_argument("field 'queries' must be an array");
  std::vector<std::vector<double>> relevance, scores;
  for (const json& q : *queries) {
    if (!q.is_object()) return invalid_argument("each of 'queries' must be {relevance, scores}");
    MAAS_ASSIGN_OR_RETURN(auto r, values_field(q, "relevance"));
    MAAS_ASSIGN_OR_RETURN(auto s, values_field(q, "scores"));
    relevance.push_back(std::move(r));
    scores.push_back(std::move(s));
  }
  std::vector<RankedQuery> ranked;
  for (size_t i = 0; i < relevance.size(); ++i) ranked.push_back({relevance[i], scores[i]});
  MAAS_ASSIGN_OR_RETURN(int64_t k, integer_option(request, "k", 0));
  if (k < 0) return invalid_argument("field 'k' must be positive");
  return as_json(ndcg(ranked, k == 0 ? std::nullopt : std::optional<size_t>(static_cast<size_t>(k))));
}

}  // namespace

Result<json> compute_metric(const json& request) {
  if (!request.is_object()) return invalid_argument("the request must be a JSON object");
  MAAS_ASSIGN_OR_RETURN(std::string metric, string_option(request, "metric", ""));
  if (metric == "accuracy" || metric == "precision" || metric == "recall" || metric == "f1" ||
      metric == "confusion_matrix") {
    return classification_metric(metric, request);
  }
  if (metric == "roc_auc" || metric == "average_precision" || metric == "log_loss" || metric == "brier" ||
      metric == "calibration_curve") {
    return score_metric(metric, request);
  }
  if (metric == "rmse" || metric == "mae" || metric == "r2" || metric == "mape") {
    return regression_metric(metric, request);
  }
  if (metric == "ndcg") return ndcg_metric(request);
  return invalid_argument("unknown metric '" + metric + "'");
}

}  // namespace maas::training::metrics
