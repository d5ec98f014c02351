// Tensors as they travel between the protocol front ends, the batcher, the worker transport and the backends:
// a name, a datatype, a row-major shape and an immutable, shared byte buffer. Sharing the buffer (not copying
// it) is what lets a request body, a batch and a backend's input be the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace maas::runtime {

// The Open Inference Protocol's datatypes.
enum class DataType { kBool, kUint8, kUint16, kUint32, kUint64, kInt8, kInt16, kInt32, kInt64, kFp16, kFp32, kFp64, kBytes };

// "BOOL", "UINT8", ..., "FP32", "BYTES".
std::string_view datatype_name(DataType type);
std::optional<DataType> parse_datatype(std::string_view name);
// Bytes per element; 0 for BYTES, whose elements have their own lengths.
size_t datatype_size(DataType type);

// Immutable bytes, shared by reference count. Thread-safe to read and copy.
class Buffer {
 public:
  Buffer() = default;
  static Buffer copy_of(const void* data, size_t size);
  static Buffer adopt(std::vector<std::byte> bytes);
  static Buffer adopt(std::string bytes);
  // A view into bytes kept alive by `owner`.
  Buffer(std::shared_ptr<const void> owner, const std::byte* data, size_t size)
      : owner_(std::move(owner)), data_(data), size_(size) {}

  const std::byte* data() const { return data_; }
  size_t size() const { return size_; }
  std::span<const std::byte> span() const { return {data_, size_}; }
  // A sub-range sharing the same owner; the caller guarantees offset + length <= size().
  Buffer slice(size_t offset, size_t length) const { return Buffer(owner_, data_ + offset, length); }

 private:
  std::shared_ptr<const void> owner_;
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
};

// A tensor. For fixed-size datatypes `data` holds element_count() * datatype_size() bytes, row-major. For BYTES,
// each element is a 4-byte little-endian length followed by that many bytes (Triton's binary layout).
struct Tensor {
  std::string name;
  DataType datatype = DataType::kFp32;
  std::vector<int64_t> shape;
  Buffer data;

  // Product of the shape (1 for a scalar); -1 when a dimension is negative or the product overflows an int64_t.
  int64_t element_count() const;
  template <typename T>
  const T* as() const { return reinterpret_cast<const T*>(data.data()); }
};

// The declared form of a model input or output; -1 marks a variable dimension.
struct TensorSpec {
  std::string name;
  DataType datatype = DataType::kFp32;
  std::vector<int64_t> shape;
  // False when the format does not record shapes (TorchScript): any shape is accepted and `shape` is [-1].
  bool shape_known = true;
  // An input column of the pipeline a model is served with (features/serving/): a number column (declared FP64)
  // takes any numeric datatype or BOOL, a text column BYTES; shape [N] or [N, 1].
  bool raw_column = false;
};

struct ModelSignature {
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  // True when dimension 0 of every input and output is the batch dimension, so requests can be concatenated.
  bool batchable = true;
};

// Checks that `t` is internally consistent (byte size matches shape and datatype; BYTES elements well-formed).
Status validate_tensor(const Tensor& t);

}  // namespace maas::runtime
