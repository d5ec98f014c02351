#include "runtime/warm_up.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/element_count.h"

namespace maas::runtime {
namespace {

ModelSignature signature_of(std::vector<TensorSpec> inputs, bool batchable = true) {
  ModelSignature s;
  s.inputs = std::move(inputs);
  s.batchable = batchable;
  return s;
}

TEST(WarmUp, FillsOneRowOfZerosForEveryInput) {
  auto request = warm_up_request(signature_of({{"a", DataType::kFp32, {-1, 3}}, {"b", DataType::kInt64, {-1}}}),
                                 kDefaultMaxTensorElements);
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  ASSERT_TRUE(request->has_value());
  const auto& inputs = (*request)->inputs;
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[0].shape, (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(inputs[0].data.size(), 12u);
  EXPECT_EQ(inputs[1].shape, (std::vector<int64_t>{1}));
  EXPECT_EQ(inputs[1].data.size(), 8u);
  auto bytes = inputs[0].data.span();
  EXPECT_TRUE(std::all_of(bytes.begin(), bytes.end(), [](std::byte b) { return b == std::byte{0}; }));
  EXPECT_TRUE(validate_tensor(inputs[0]).ok());
}

TEST(WarmUp, IsSkippedWhenThereIsNothingMeaningfulToFill) {
  for (const auto& sig : {signature_of({{"s", DataType::kBytes, {-1}}}),
                          signature_of({{"t", DataType::kFp32, {-1}, /*shape_known=*/false}}),
                          signature_of({{"v", DataType::kFp32, {-1, -1}}}),
                          signature_of({{"n", DataType::kFp32, {-1, 4}}}, /*batchable=*/false),
                          signature_of({})}) {
    auto request = warm_up_request(sig, kDefaultMaxTensorElements);
    ASSERT_TRUE(request.ok()) << request.status().to_string();
    EXPECT_FALSE(request->has_value());
  }
}

TEST(WarmUp, RefusesARowOverTheLimitBeforeAllocatingIt) {
  // The probe's model: 2^35 elements per row, 128 GiB of FP32 zeros.
  auto request = warm_up_request(signature_of({{"x", DataType::kFp32, {-1, 2147483647, 16}}}),
                                 kDefaultMaxTensorElements);
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(request.status().message().find("input 'x' declares shape [-1,2147483647,16]"), std::string::npos);
  auto overflow = warm_up_request(signature_of({{"x", DataType::kFp64, {-1, int64_t{1} << 40, int64_t{1} << 40}}}),
                                  kDefaultMaxTensorElements);
  EXPECT_EQ(overflow.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(warm_up_request(signature_of({{"x", DataType::kFp32, {-1, 8}}}), 8).ok());
  EXPECT_FALSE(warm_up_request(signature_of({{"x", DataType::kFp32, {-1, 9}}}), 8).ok());
}

}  // namespace
}  // namespace maas::runtime
