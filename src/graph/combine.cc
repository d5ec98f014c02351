#include "graph/combine.h"

#include <cstring>
#include <map>

#include "common/element_count.h"

namespace maas::graph {
namespace {
using runtime::DataType;
using runtime::Tensor;

template <typename T>
void append_as_doubles(const Tensor& t, size_t n, std::vector<double>* out) {
  for (size_t i = 0; i < n; ++i) {
    T value;
    std::memcpy(&value, t.data.data() + i * sizeof(T), sizeof(T));
    out->push_back(static_cast<double>(value));
  }
}

// Rows and columns of a [N] or [N, K] part.
Result<std::pair<int64_t, int64_t>> rows_and_columns(const Part& part) {
  const auto& shape = part.tensor.shape;
  if (shape.size() == 1) return std::pair<int64_t, int64_t>{shape[0], 1};
  if (shape.size() == 2) return std::pair<int64_t, int64_t>{shape[0], shape[1]};
  return invalid_argument("step '" + part.step + "': output '" + part.tensor.name + "' has shape " +
                          shape_string(shape) + "; combining needs [N] or [N, K]");
}

Tensor make_tensor(const std::string& name, DataType type, std::vector<int64_t> shape, const void* data, size_t bytes) {
  Tensor t;
  t.name = name;
  t.datatype = type;
  t.shape = std::move(shape);
  t.data = runtime::Buffer::copy_of(data, bytes);
  return t;
}

}  // namespace

Result<std::vector<double>> numbers_of(const Tensor& t, const std::string& what) {
  int64_t n = t.element_count();
  if (n < 0 || t.data.size() != static_cast<size_t>(n) * runtime::datatype_size(t.datatype)) {
    return invalid_argument(what + ": tensor '" + t.name + "' has a byte size that does not match its shape");
  }
  std::vector<double> out;
  out.reserve(static_cast<size_t>(n));
  size_t count = static_cast<size_t>(n);
  switch (t.datatype) {
    case DataType::kBool:
      append_as_doubles<uint8_t>(t, count, &out);
      break;
    case DataType::kUint8:
      append_as_doubles<uint8_t>(t, count, &out);
      break;
    case DataType::kUint16:
      append_as_doubles<uint16_t>(t, count, &out);
      break;
    case DataType::kUint32:
      append_as_doubles<uint32_t>(t, count, &out);
      break;
    case DataType::kUint64:
      append_as_doubles<uint64_t>(t, count, &out);
      break;
    case DataType::kInt8:
      append_as_doubles<int8_t>(t, count, &out);
      break;
    case DataType::kInt16:
      append_as_doubles<int16_t>(t, count, &out);
      break;
    case DataType::kInt32:
      append_as_doubles<int32_t>(t, count, &out);
      break;
    case DataType::kInt64:
      append_as_doubles<int64_t>(t, count, &out);
      break;
    case DataType::kFp32:
      append_as_doubles<float>(t, count, &out);
      break;
    case DataType::kFp64:
      append_as_doubles<double>(t, count, &out);
      break;
    default:
      return invalid_argument(what + ": tensor '" + t.name + "' is " + std::string(runtime::datatype_name(t.datatype)) +
                              "; only numeric tensors can be combined or compared");
  }
  return out;
}

Result<Tensor> average(const std::vector<Part>& parts, const std::string& name) {
  if (parts.empty()) return invalid_argument("average of no steps");
  const auto& shape = parts[0].tensor.shape;
  std::vector<double> sum;
  double total_weight = 0;
  bool all_fp32 = true;
  for (const auto& part : parts) {
    if (part.tensor.shape != shape) {
      return invalid_argument("step '" + part.step + "': output '" + part.tensor.name + "' has shape " +
                              shape_string(part.tensor.shape) + ", step '" + parts[0].step + "' " +
                              shape_string(shape) + "; averaged outputs must have the same shape");
    }
    MAAS_ASSIGN_OR_RETURN(auto values, numbers_of(part.tensor, "step '" + part.step + "'"));
    if (sum.empty()) sum.assign(values.size(), 0.0);
    const double w = static_cast<double>(part.weight);
    for (size_t i = 0; i < values.size(); ++i) sum[i] += w * values[i];
    total_weight += w;
    all_fp32 = all_fp32 && part.tensor.datatype == DataType::kFp32;
  }
  for (auto& v : sum) v /= total_weight;
  if (!all_fp32) return make_tensor(name, DataType::kFp64, shape, sum.data(), sum.size() * sizeof(double));
  std::vector<float> narrow(sum.begin(), sum.end());
  return make_tensor(name, DataType::kFp32, shape, narrow.data(), narrow.size() * sizeof(float));
}

Result<Tensor> vote(const std::vector<Part>& parts, const std::string& name) {
  if (parts.empty()) return invalid_argument("vote of no steps");
  int64_t rows = -1;
  std::vector<std::map<int64_t, int64_t>> tally;  // per row: label -> weight
  for (const auto& part : parts) {
    MAAS_ASSIGN_OR_RETURN(auto dims, rows_and_columns(part));
    auto [n, k] = dims;
    if (rows < 0) {
      rows = n;
      tally.resize(static_cast<size_t>(n));
    } else if (n != rows) {
      return invalid_argument("step '" + part.step + "': output '" + part.tensor.name + "' has " + std::to_string(n) +
                              " rows, step '" + parts[0].step + "' " + std::to_string(rows));
    }
    MAAS_ASSIGN_OR_RETURN(auto values, numbers_of(part.tensor, "step '" + part.step + "'"));
    for (int64_t r = 0; r < n; ++r) {
      int64_t label = 0;
      if (k == 1) {
        double v = values[static_cast<size_t>(r)];
        if (v != static_cast<double>(static_cast<int64_t>(v))) {
          return invalid_argument("step '" + part.step + "': output '" + part.tensor.name +
                                  "' holds a non-integral label; a vote needs class labels or per-class scores");
        }
        label = static_cast<int64_t>(v);
      } else {
        const double* row = values.data() + r * k;
        for (int64_t c = 1; c < k; ++c) {
          if (row[c] > row[label]) label = c;
        }
      }
      tally[static_cast<size_t>(r)][label] += part.weight;
    }
  }
  std::vector<int64_t> winners;
  for (const auto& row : tally) {
    int64_t best = 0, best_weight = -1;
    for (const auto& [label, weight] : row) {  // ascending labels: a tie keeps the smallest
      if (weight > best_weight) best = label, best_weight = weight;
    }
    winners.push_back(best);
  }
  return make_tensor(name, DataType::kInt64, {rows}, winners.data(), winners.size() * sizeof(int64_t));
}

Result<Tensor> stack(const std::vector<Part>& parts, const std::string& name) {
  if (parts.empty()) return invalid_argument("stack of no steps");
  int64_t rows = -1, width = 0;
  std::vector<std::pair<int64_t, std::vector<double>>> columns;  // per part: its width and values
  for (const auto& part : parts) {
    MAAS_ASSIGN_OR_RETURN(auto dims, rows_and_columns(part));
    if (rows >= 0 && dims.first != rows) {
      return invalid_argument("step '" + part.step + "': output '" + part.tensor.name + "' has " +
                              std::to_string(dims.first) + " rows, step '" + parts[0].step + "' " +
                              std::to_string(rows));
    }
    rows = dims.first;
    width += dims.second;
    MAAS_ASSIGN_OR_RETURN(auto values, numbers_of(part.tensor, "step '" + part.step + "'"));
    columns.emplace_back(dims.second, std::move(values));
  }
  std::vector<float> out;
  out.reserve(static_cast<size_t>(rows * width));
  for (int64_t r = 0; r < rows; ++r) {
    for (const auto& [k, values] : columns) {
      for (int64_t c = 0; c < k; ++c) out.push_back(static_cast<float>(values[static_cast<size_t>(r * k + c)]));
    }
  }
  return make_tensor(name, DataType::kFp32, {rows, width}, out.data(), out.size() * sizeof(float));
}

}  // namespace maas::graph
