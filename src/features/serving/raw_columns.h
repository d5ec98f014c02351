// A raw-column request's tensors as feature columns, and feature columns as a model's input matrix: the two
// conversions around Pipeline::transform when a model is served with its pipeline. Pure functions, no state.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "features/table.h"
#include "runtime/tensor.h"

namespace maas::features {

// The column `name` of `type` from a request's tensor: shape [N] or [N, 1]; a number column from any numeric
// datatype or BOOL (1/0; from an integer datatype it is integral), a text column from BYTES (UTF-8 strings).
// INVALID_ARGUMENT naming the column for another shape or datatype.
Result<Column> column_from_tensor(const runtime::Tensor& tensor, ColumnType type);
// `table`'s columns side by side as one rows x columns tensor named `name` of FP32 or FP64 (doubles rounded to
// the nearest float, as numpy's astype(float32)). INVALID_ARGUMENT naming a column that holds text.
Result<runtime::Tensor> matrix_from_table(const Table& table, const std::string& name, runtime::DataType datatype);

}  // namespace maas::features
