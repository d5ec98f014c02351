// The columns a predict.batch job writes for a model's outputs, and the features a model without a pipeline reads:
// the pure conversions on either side of a backend's execute, kept apart from DuckDB and the plugin so that the
// unit tests reach them. Pure functions, no state.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "features/table.h"
#include "runtime/tensor.h"

namespace maas::training::batch {

// A model input column read without a pipeline: numbers as they are, a categorical column's text coded by the
// categories the model was trained with (a value's code is its index; an unseen value or NULL is missing).
struct InputFeature {
  std::string name;
  bool categorical = false;
  std::vector<std::string> categories;  // ascending
};

// `raw` (the features' columns in order, as read) with categorical text replaced by codes: all number columns.
Result<features::Table> code_features(const std::vector<InputFeature>& features, features::Table raw);

// The prediction columns of `outputs` (one execute's; numbers, an integer output integral): an output of shape [N]
// or [N, 1] is one column, [N, K, ...] is K x ... columns `<base>_<j>` (a multi-class model's probability per
// class). `base` is "prediction" for a model with one output, else the output's name. INVALID_ARGUMENT for an
// output whose first dimension is not `rows` or whose datatype is not numeric.
Result<std::vector<features::Column>> prediction_columns(const std::vector<runtime::Tensor>& outputs, size_t rows);

}  // namespace maas::training::batch
