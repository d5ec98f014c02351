// Metrics of real-valued predictions, as scikit-learn 1.2 computes them: root mean squared error, mean absolute
// error, R² (1 when the truth is constant and predicted exactly, 0 when constant and missed) and the mean absolute
// percentage error (|y| floored at the float64 epsilon).
//
// Thread-safety: pure functions.
#pragma once

#include "training/metrics/labels.h"

namespace maas::training::metrics {

Result<double> rmse(Values y_true, Values y_pred);
Result<double> mae(Values y_true, Values y_pred);
Result<double> r2(Values y_true, Values y_pred);
Result<double> mape(Values y_true, Values y_pred);

}  // namespace maas::training::metrics
