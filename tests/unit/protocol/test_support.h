// Helpers for the protocol tests: request bodies, binary sections, typed views of tensors, error expectations.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "protocol/kserve_v2.h"

namespace maas::protocol::testing {

inline Result<InferRequest> parse_json_request(std::string json) {
  return parse_infer_request(runtime::Buffer::adopt(std::move(json)), std::nullopt);
}

// A body with the binary extension: the JSON, then the binary parts in order.
struct BinaryBody {
  runtime::Buffer body;
  size_t json_length;
};

inline BinaryBody binary_body(const std::string& json, std::initializer_list<std::string> parts) {
  std::string body = json;
  for (const std::string& part : parts) body += part;
  return {runtime::Buffer::adopt(std::move(body)), json.size()};
}

inline Result<InferRequest> parse_binary_request(const BinaryBody& body) {
  return parse_infer_request(body.body, body.json_length);
}

// The raw bytes of values, as a binary tensor holds them.
template <typename T>
std::string raw_bytes(const std::vector<T>& values) {
  std::string bytes(values.size() * sizeof(T), '\0');
  if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

// BYTES elements in Triton's layout: 4-byte little-endian length, then the bytes.
inline std::string bytes_elements(const std::vector<std::string>& elements) {
  std::string out;
  for (const std::string& element : elements) {
    const auto length = static_cast<uint32_t>(element.size());
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((length >> shift) & 0xff));
    out += element;
  }
  return out;
}

template <typename T>
std::vector<T> values_of(const runtime::Tensor& tensor) {
  std::vector<T> values(tensor.data.size() / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), tensor.data.data(), values.size() * sizeof(T));
  return values;
}

inline std::string bytes_of(const runtime::Tensor& tensor) {
  return std::string(reinterpret_cast<const char*>(tensor.data.data()), tensor.data.size());
}

inline runtime::Tensor make_tensor(std::string name, runtime::DataType datatype, std::vector<int64_t> shape,
                                   std::string bytes) {
  return {std::move(name), datatype, std::move(shape), runtime::Buffer::adopt(std::move(bytes))};
}

// Expects INVALID_ARGUMENT with exactly `message`.
#define EXPECT_INVALID(result_or_status, expected_message)                                                      \
  do {                                                                                                          \
    const ::maas::Status maas_test_status_ = ::maas::protocol::testing::status_of(result_or_status);            \
    EXPECT_EQ(maas_test_status_.code(), ::maas::StatusCode::kInvalidArgument) << maas_test_status_.to_string(); \
    EXPECT_EQ(maas_test_status_.message(), expected_message);                                                   \
  } while (0)

inline Status status_of(const Status& status) { return status; }
template <typename T>
Status status_of(const Result<T>& result) {
  return result.status();
}

}  // namespace maas::protocol::testing
