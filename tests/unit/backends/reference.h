// The reference outputs that tests/fixtures/reference_outputs.py computes with the real frameworks, for the
// backend fidelity tests. They live under $MAAS_FIXTURES_DIR; a test skips when that variable is unset.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/backend.h"
#include "runtime/tensor.h"

namespace maas::backends::testing {

class Reference {
 public:
  // The loaded reference, or null with `why_not` saying why (unset variable: skip; unreadable files: fail).
  static const Reference* get(std::string* why_not, bool* should_fail);

  const nlohmann::json& json() const { return json_; }
  // A model file named in reference.json, relative to the fixtures directory.
  std::filesystem::path model(const std::string& relative) const { return fixtures_ / relative; }
  // An array entry ({"file", "shape", "dtype"}) as a tensor called `name`.
  runtime::Tensor tensor(const nlohmann::json& entry, const std::string& name) const;

 private:
  std::filesystem::path fixtures_;
  nlohmann::json json_;
};

// The largest |a - b| over two FP32 tensors of the same shape (infinity when the shapes differ).
double max_abs_difference(const runtime::Tensor& actual, const runtime::Tensor& expected);
// Whether two tensors hold the same datatype, shape and bytes (bitwise float equality).
::testing::AssertionResult bitwise_equal(const runtime::Tensor& actual, const runtime::Tensor& expected);

// A backend configuration with `threads` intra-op threads.
inline runtime::BackendConfig config_with_threads(int threads) {
  runtime::BackendConfig config;
  config.threads = threads;
  return config;
}

// An FP32 tensor over a copy of `values`.
runtime::Tensor fp32_tensor(std::string name, std::vector<int64_t> shape, const std::vector<float>& values);

}  // namespace maas::backends::testing

// Binds `reference` (a const Reference*) or skips/fails the test, saying why.
#define MAAS_REQUIRE_REFERENCE(reference)                                                         \
  std::string reference##_why_not;                                                                \
  bool reference##_fail = false;                                                                  \
  const auto* reference = ::maas::backends::testing::Reference::get(&reference##_why_not, &reference##_fail); \
  if (!reference) {                                                                               \
    if (reference##_fail) FAIL() << reference##_why_not;                                          \
    GTEST_SKIP() << reference##_why_not;                                                          \
  }
