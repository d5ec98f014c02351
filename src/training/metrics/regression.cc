#include "training/metrics/regression.h"

#include <cmath>
#include <limits>

namespace maas::training::metrics {
namespace {

template <typename Term>
Result<double> mean_of(Values y_true, Values y_pred, const char* what, Term term) {
  MAAS_RETURN_IF_ERROR(check_same_length(y_true.size(), y_pred.size(), what));
  double total = 0;
  for (size_t i = 0; i < y_true.size(); ++i) total += term(y_true[i], y_pred[i]);
  return total / static_cast<double>(y_true.size());
}

}  // namespace

Result<double> rmse(Values y_true, Values y_pred) {
  MAAS_ASSIGN_OR_RETURN(double mse,
                        mean_of(y_true, y_pred, "RMSE", [](double t, double p) { return (t - p) * (t - p); }));
  return std::sqrt(mse);
}

Result<double> mae(Values y_true, Values y_pred) {
  return mean_of(y_true, y_pred, "MAE", [](double t, double p) { return std::abs(t - p); });
}

Result<double> r2(Values y_true, Values y_pred) {
  MAAS_RETURN_IF_ERROR(check_same_length(y_true.size(), y_pred.size(), "R²"));
  MAAS_ASSIGN_OR_RETURN(double mean, mean_of(y_true, y_true, "R²", [](double t, double) { return t; }));
  double residual = 0;
  double total = 0;
  for (size_t i = 0; i < y_true.size(); ++i) {
    residual += (y_true[i] - y_pred[i]) * (y_true[i] - y_pred[i]);
    total += (y_true[i] - mean) * (y_true[i] - mean);
  }
  if (total == 0) return residual == 0 ? 1.0 : 0.0;
  return 1 - residual / total;
}

Result<double> mape(Values y_true, Values y_pred) {
  const double eps = std::numeric_limits<double>::epsilon();
  return mean_of(y_true, y_pred, "MAPE",
                 [eps](double t, double p) { return std::abs(p - t) / std::max(std::abs(t), eps); });
}

}  // namespace maas::training::metrics
