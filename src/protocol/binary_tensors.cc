// Slicing and checking binary request tensors; sizes are checked before any slice, so bad sizes never read past
// the body.
#include "protocol/binary_tensors.h"

#include <cstring>
#include <string>

#include "common/element_count.h"
#include "protocol/json_text.h"
#include "protocol/kserve_v2.h"

namespace maas::protocol {
namespace {

using runtime::DataType;

Status check_bytes_layout(std::string_view input_name, uint64_t element_count, const runtime::Buffer& bytes) {
  const std::byte* data = bytes.data();
  const size_t size = bytes.size();
  size_t offset = 0;
  for (uint64_t i = 0; i < element_count; ++i) {
    if (size - offset < 4) {
      return invalid_argument("input " + quoted_name(input_name) + ": binary_data_size " + std::to_string(size) +
                              " ends before the length of BYTES element " + std::to_string(i) + " of " +
                              std::to_string(element_count));
    }
    unsigned char prefix[4];
    std::memcpy(prefix, data + offset, 4);
    const uint32_t length = prefix[0] | (prefix[1] << 8) | (prefix[2] << 16) | (uint32_t{prefix[3]} << 24);
    offset += 4;
    if (size - offset < length) {
      return invalid_argument("input " + quoted_name(input_name) + ": BYTES element " + std::to_string(i) +
                              " declares " + std::to_string(length) + " bytes but only " +
                              std::to_string(size - offset) + " of binary_data_size " + std::to_string(size) +
                              " remain");
    }
    offset += length;
  }
  if (offset != size) {
    return invalid_argument("input " + quoted_name(input_name) + ": binary_data_size " + std::to_string(size) +
                            " has " + std::to_string(size - offset) + " bytes left after the " +
                            std::to_string(element_count) + " BYTES elements its shape needs");
  }
  return {};
}

}  // namespace

Result<runtime::Buffer> BinarySection::take(std::string_view input_name, uint64_t size) {
  if (!header_present_) {
    return invalid_argument("input " + quoted_name(input_name) +
                            " has binary_data_size but the request has no Inference-Header-Content-Length header");
  }
  const size_t remaining = bytes_.size() - offset_;
  if (size > remaining) {
    return invalid_argument("binary_data_size of input " + quoted_name(input_name) + " is " + std::to_string(size) +
                            " but only " + std::to_string(remaining) + " bytes remain");
  }
  runtime::Buffer slice = bytes_.slice(offset_, size);
  offset_ += size;
  return slice;
}

Status BinarySection::finish() const {
  if (offset_ == bytes_.size()) return {};
  return invalid_argument("the body has " + std::to_string(bytes_.size()) +
                          " bytes of binary data after the JSON but the inputs' binary_data_size add up to " +
                          std::to_string(offset_));
}

Status check_byte_count(std::string_view input_name, DataType datatype, std::span<const int64_t> shape,
                        uint64_t element_count, uint64_t bytes, std::string_view size_field) {
  if (datatype == DataType::kBytes) return {};
  const uint64_t needed = element_count * runtime::datatype_size(datatype);
  if (needed == bytes) return {};
  return invalid_argument("input " + quoted_name(input_name) + ": shape " + shape_text(shape) + " of " +
                          std::string(runtime::datatype_name(datatype)) + " needs " + std::to_string(needed) +
                          " bytes but " + std::string(size_field) + " is " + std::to_string(bytes));
}

Status check_binary_tensor(std::string_view input_name, DataType datatype, std::span<const int64_t> shape,
                           uint64_t element_count, const runtime::Buffer& bytes, std::string_view size_field) {
  if (datatype == DataType::kBytes) return check_bytes_layout(input_name, element_count, bytes);
  MAAS_RETURN_IF_ERROR(check_byte_count(input_name, datatype, shape, element_count, bytes.size(), size_field));
  if (datatype == DataType::kBool) {
    for (size_t i = 0; i < bytes.size(); ++i) {
      const auto byte = static_cast<unsigned>(bytes.data()[i]);
      if (byte > 1) {
        return invalid_argument("input " + quoted_name(input_name) + ": BOOL element " + std::to_string(i) + " is " +
                                std::to_string(byte) + " in the binary data; BOOL bytes must be 0 or 1");
      }
    }
  }
  return {};
}

Status check_shared_memory_input(const runtime::Tensor& input) {
  // The parser bounded the shape by limits.max_tensor_elements, so the count exists.
  return check_binary_tensor(input.name, input.datatype, input.shape, element_count(input.shape).value_or(0),
                             input.data, "shared_memory_byte_size");
}

}  // namespace maas::protocol
