// Triton's binary tensor data extension on the request side: the bytes after the JSON, cut into one slice per
// input that has "binary_data_size" (in input order), and the check of each slice against its shape.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/status.h"
#include "runtime/tensor.h"

namespace maas::protocol {

// The binary part of a body. Slices share the body's owner: nothing is copied. Not thread-safe (one request).
class BinarySection {
 public:
  // `header_present`: whether the request came with Inference-Header-Content-Length; without it, no input may
  // carry binary data.
  BinarySection(runtime::Buffer bytes, bool header_present)
      : bytes_(std::move(bytes)), header_present_(header_present) {}

  // The next `size` bytes, for input `input_name`.
  Result<runtime::Buffer> take(std::string_view input_name, uint64_t size);
  // INVALID_ARGUMENT unless the slices taken add up to the whole binary part.
  Status finish() const;

 private:
  runtime::Buffer bytes_;
  bool header_present_;
  size_t offset_ = 0;
};

// Checks a binary input's bytes against its datatype and shape: the exact byte count for fixed-size types, the
// length-prefixed layout for BYTES (exactly element_count elements, nothing after), 0 or 1 for BOOL.
// element_count is at most kMaxTensorElementsCeiling (common/element_count.h), so byte counts cannot overflow.
// `size_field` names where the byte count came from in messages.
Status check_binary_tensor(std::string_view input_name, runtime::DataType datatype, std::span<const int64_t> shape,
                           uint64_t element_count, const runtime::Buffer& bytes,
                           std::string_view size_field = "binary_data_size");
// The byte count check alone, for fixed-size datatypes (BYTES passes): `bytes` against element_count × its size.
Status check_byte_count(std::string_view input_name, runtime::DataType datatype, std::span<const int64_t> shape,
                        uint64_t element_count, uint64_t bytes, std::string_view size_field);

}  // namespace maas::protocol
