#include "training/batch/prediction_columns.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace maas::training::batch {
namespace {

using runtime::DataType;
using runtime::Tensor;

template <typename T>
void read_values(const Tensor& tensor, std::vector<double>& out) {
  const size_t n = tensor.data.size() / sizeof(T);
  out.resize(n);
  for (size_t i = 0; i < n; ++i) {
    T value;
    std::memcpy(&value, tensor.data.data() + i * sizeof(T), sizeof(T));  // outputs need not be aligned
    out[i] = static_cast<double>(value);
  }
}

// The tensor's elements as doubles; `integral` when they are integers. INVALID_ARGUMENT for BYTES and FP16.
Status values_of(const Tensor& tensor, std::vector<double>& out, bool& integral) {
  integral = true;
  switch (tensor.datatype) {
    case DataType::kFp32:
      integral = false;
      read_values<float>(tensor, out);
      return {};
    case DataType::kFp64:
      integral = false;
      read_values<double>(tensor, out);
      return {};
    case DataType::kInt64:
      read_values<int64_t>(tensor, out);
      return {};
    case DataType::kInt32:
      read_values<int32_t>(tensor, out);
      return {};
    case DataType::kInt16:
      read_values<int16_t>(tensor, out);
      return {};
    case DataType::kInt8:
      read_values<int8_t>(tensor, out);
      return {};
    case DataType::kUint8:
    case DataType::kBool:
      read_values<uint8_t>(tensor, out);
      return {};
    default:
      return invalid_argument("the model's output '" + tensor.name + "' is " +
                              std::string(runtime::datatype_name(tensor.datatype)) +
                              ": batch prediction writes numeric outputs only");
  }
}

}  // namespace

Result<features::Table> code_features(const std::vector<InputFeature>& features, features::Table raw) {
  if (raw.columns.size() != features.size()) return internal_error("the feature columns read do not match the model's");
  for (size_t f = 0; f < features.size(); ++f) {
    features::Column& column = raw.columns[f];
    if (column.type == features::ColumnType::kNumber) continue;
    if (!features[f].categorical) {
      return invalid_argument("the feature column '" + features[f].name + "' holds text; the model takes numbers");
    }
    const std::vector<std::string>& categories = features[f].categories;
    std::vector<double> codes(column.texts.size(), std::numeric_limits<double>::quiet_NaN());
    for (size_t r = 0; r < codes.size(); ++r) {
      if (!column.texts[r]) continue;
      auto it = std::lower_bound(categories.begin(), categories.end(), *column.texts[r]);
      if (it != categories.end() && *it == *column.texts[r]) codes[r] = static_cast<double>(it - categories.begin());
    }
    column = features::Column::of_numbers(column.name, std::move(codes));
  }
  return raw;
}

Result<std::vector<features::Column>> prediction_columns(const std::vector<Tensor>& outputs, size_t rows) {
  std::vector<features::Column> columns;
  for (const Tensor& output : outputs) {
    if (output.shape.empty() || output.shape[0] != static_cast<int64_t>(rows)) {
      return invalid_argument("the model's output '" + output.name + "' does not have one row per input row");
    }
    std::vector<double> values;
    bool integral = false;
    MAAS_RETURN_IF_ERROR(values_of(output, values, integral));
    const size_t width = rows == 0 ? 0 : values.size() / rows;
    const std::string base = outputs.size() == 1 ? "prediction" : output.name;
    for (size_t j = 0; j < width; ++j) {
      std::vector<double> column(rows);
      for (size_t r = 0; r < rows; ++r) column[r] = values[r * width + j];
      const std::string name = output.shape.size() == 1 || width == 1 ? base : base + "_" + std::to_string(j);
      columns.push_back(features::Column::of_numbers(name, std::move(column)));
      columns.back().integral = integral;
    }
  }
  return columns;
}

}  // namespace maas::training::batch
