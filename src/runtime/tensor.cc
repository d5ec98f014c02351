#include "runtime/tensor.h"

#include <cstring>

#include "common/element_count.h"

namespace maas::runtime {
namespace {

struct DataTypeInfo {
  DataType type;
  std::string_view name;
  size_t size;
};

constexpr DataTypeInfo kTypes[] = {
    {DataType::kBool, "BOOL", 1},     {DataType::kUint8, "UINT8", 1},   {DataType::kUint16, "UINT16", 2},
    {DataType::kUint32, "UINT32", 4}, {DataType::kUint64, "UINT64", 8}, {DataType::kInt8, "INT8", 1},
    {DataType::kInt16, "INT16", 2},   {DataType::kInt32, "INT32", 4},   {DataType::kInt64, "INT64", 8},
    {DataType::kFp16, "FP16", 2},     {DataType::kFp32, "FP32", 4},     {DataType::kFp64, "FP64", 8},
    {DataType::kBytes, "BYTES", 0},
};

}  // namespace

std::string_view datatype_name(DataType type) {
  for (const auto& t : kTypes) {
    if (t.type == type) return t.name;
  }
  return "UNKNOWN";
}

std::optional<DataType> parse_datatype(std::string_view name) {
  for (const auto& t : kTypes) {
    if (t.name == name) return t.type;
  }
  return std::nullopt;
}

size_t datatype_size(DataType type) {
  for (const auto& t : kTypes) {
    if (t.type == type) return t.size;
  }
  return 0;
}

Buffer Buffer::copy_of(const void* data, size_t size) {
  std::vector<std::byte> bytes(size);
  if (size > 0) std::memcpy(bytes.data(), data, size);
  return adopt(std::move(bytes));
}

Buffer Buffer::adopt(std::vector<std::byte> bytes) {
  auto owner = std::make_shared<std::vector<std::byte>>(std::move(bytes));
  return Buffer(owner, owner->data(), owner->size());
}

Buffer Buffer::adopt(std::string bytes) {
  auto owner = std::make_shared<std::string>(std::move(bytes));
  return Buffer(owner, reinterpret_cast<const std::byte*>(owner->data()), owner->size());
}

int64_t Tensor::element_count() const {
  std::optional<uint64_t> count = maas::element_count(shape);
  return count ? static_cast<int64_t>(*count) : -1;
}

Status validate_tensor(const Tensor& t) {
  int64_t count = t.element_count();
  if (count < 0) {
    return invalid_argument("tensor '" + t.name + "' has shape " + shape_string(t.shape) +
                            ": a negative dimension, or more elements than fit in 64 bits");
  }
  if (t.datatype != DataType::kBytes) {
    // Compared by division: count * size may not fit in 64 bits.
    const size_t size = datatype_size(t.datatype);
    if (t.data.size() % size != 0 || static_cast<uint64_t>(count) != t.data.size() / size) {
      return invalid_argument("tensor '" + t.name + "' has shape " + shape_string(t.shape) + " and datatype " +
                              std::string(datatype_name(t.datatype)) + " needing " + std::to_string(count) + " x " +
                              std::to_string(size) + " bytes, but holds " + std::to_string(t.data.size()));
    }
    return {};
  }
  size_t offset = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (offset + 4 > t.data.size()) {
      return invalid_argument("BYTES tensor '" + t.name + "' ends before element " + std::to_string(i));
    }
    uint32_t len = 0;
    std::memcpy(&len, t.data.data() + offset, 4);
    offset += 4;
    if (offset + len > t.data.size()) {
      return invalid_argument("BYTES tensor '" + t.name + "' element " + std::to_string(i) + " runs past the data");
    }
    offset += len;
  }
  if (offset != t.data.size()) return invalid_argument("BYTES tensor '" + t.name + "' has trailing bytes");
  return {};
}

}  // namespace maas::runtime
