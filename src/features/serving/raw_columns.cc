#include "features/serving/raw_columns.h"

#include <cstring>

namespace maas::features {
namespace {
using runtime::DataType;
using runtime::Tensor;

template <typename T>
void append_numbers(const Tensor& tensor, size_t rows, std::vector<double>& out) {
  const std::byte* bytes = tensor.data.data();
  for (size_t i = 0; i < rows; ++i) {
    T value;
    std::memcpy(&value, bytes + i * sizeof(T), sizeof(T));  // the payload need not be aligned
    out.push_back(static_cast<double>(value));
  }
}

Status read_numbers(const Tensor& tensor, size_t rows, Column& column) {
  column.numbers.reserve(rows);
  switch (tensor.datatype) {
    case DataType::kFp64:
      append_numbers<double>(tensor, rows, column.numbers);
      return {};
    case DataType::kFp32:
      append_numbers<float>(tensor, rows, column.numbers);
      return {};
    case DataType::kInt64:
      append_numbers<int64_t>(tensor, rows, column.numbers);
      break;
    case DataType::kInt32:
      append_numbers<int32_t>(tensor, rows, column.numbers);
      break;
    case DataType::kInt16:
      append_numbers<int16_t>(tensor, rows, column.numbers);
      break;
    case DataType::kInt8:
      append_numbers<int8_t>(tensor, rows, column.numbers);
      break;
    case DataType::kUint64:
      append_numbers<uint64_t>(tensor, rows, column.numbers);
      break;
    case DataType::kUint32:
      append_numbers<uint32_t>(tensor, rows, column.numbers);
      break;
    case DataType::kUint16:
      append_numbers<uint16_t>(tensor, rows, column.numbers);
      break;
    case DataType::kUint8:
    case DataType::kBool:
      append_numbers<uint8_t>(tensor, rows, column.numbers);
      break;
    default:
      return invalid_argument("input '" + tensor.name + "' is a number column; send it as FP32, FP64, INT*, UINT* or " +
                              "BOOL, not " + std::string(runtime::datatype_name(tensor.datatype)));
  }
  column.integral = true;
  return {};
}

Status read_texts(const Tensor& tensor, size_t rows, Column& column) {
  if (tensor.datatype != DataType::kBytes) {
    return invalid_argument("input '" + tensor.name + "' is a text column; send it as BYTES (strings), not " +
                            std::string(runtime::datatype_name(tensor.datatype)));
  }
  column.texts.reserve(rows);
  const std::byte* bytes = tensor.data.data();
  size_t offset = 0;
  for (size_t i = 0; i < rows; ++i) {
    uint32_t length = 0;
    if (offset + 4 > tensor.data.size()) return invalid_argument("input '" + tensor.name + "' is malformed BYTES");
    std::memcpy(&length, bytes + offset, 4);
    offset += 4;
    if (offset + length > tensor.data.size()) return invalid_argument("input '" + tensor.name + "' is malformed BYTES");
    column.texts.emplace_back(std::string(reinterpret_cast<const char*>(bytes + offset), length));
    offset += length;
  }
  return {};
}

template <typename T>
Tensor write_matrix(const Table& table, size_t rows) {
  const size_t width = table.columns.size();
  std::vector<std::byte> bytes(rows * width * sizeof(T));
  T* out = reinterpret_cast<T*>(bytes.data());
  for (size_t c = 0; c < width; ++c) {
    const std::vector<double>& values = table.columns[c].numbers;
    for (size_t r = 0; r < rows; ++r) out[r * width + c] = static_cast<T>(values[r]);
  }
  Tensor tensor;
  tensor.shape = {static_cast<int64_t>(rows), static_cast<int64_t>(width)};
  tensor.data = runtime::Buffer::adopt(std::move(bytes));
  return tensor;
}

}  // namespace

Result<Column> column_from_tensor(const Tensor& tensor, ColumnType type) {
  const bool column_shape = tensor.shape.size() == 1 || (tensor.shape.size() == 2 && tensor.shape[1] == 1);
  if (!column_shape || tensor.shape[0] < 0) {
    return invalid_argument("input '" + tensor.name + "' must be one column: shape [N] or [N, 1]");
  }
  MAAS_RETURN_IF_ERROR(runtime::validate_tensor(tensor));
  const auto rows = static_cast<size_t>(tensor.shape[0]);
  Column column;
  column.name = tensor.name;
  column.type = type;
  if (type == ColumnType::kText) {
    MAAS_RETURN_IF_ERROR(read_texts(tensor, rows, column));
  } else {
    MAAS_RETURN_IF_ERROR(read_numbers(tensor, rows, column));
  }
  return column;
}

Result<Tensor> matrix_from_table(const Table& table, const std::string& name, DataType datatype) {
  for (const Column& column : table.columns) {
    if (column.type != ColumnType::kNumber) {
      return invalid_argument("the pipeline's output column '" + column.name +
                              "' holds text; a model takes numbers (encode it in the pipeline)");
    }
  }
  const size_t rows = table.rows();
  Tensor tensor = datatype == DataType::kFp64 ? write_matrix<double>(table, rows) : write_matrix<float>(table, rows);
  tensor.name = name;
  tensor.datatype = datatype;
  return tensor;
}

}  // namespace maas::features
