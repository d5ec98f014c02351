// How a request's tensors are matched to the declared inputs and checked, whatever the backend.
#include "backends/input_binding.h"

#include <gtest/gtest.h>

#include "reference.h"

namespace maas::backends {
namespace {

using testing::fp32_tensor;

const std::vector<runtime::TensorSpec> kSpecs = {{"a", runtime::DataType::kFp32, {-1, 2}},
                                                 {"b", runtime::DataType::kFp32, {-1}}};

runtime::ExecuteRequest request_of(std::vector<runtime::Tensor> inputs) {
  runtime::ExecuteRequest request;
  request.inputs = std::move(inputs);
  return request;
}

TEST(BindInputs, MatchesByNameInAnyOrder) {
  auto request = request_of({fp32_tensor("b", {1}, {1}), fp32_tensor("a", {1, 2}, {2, 3})});
  auto bound = bind_inputs("test", request, kSpecs);
  ASSERT_TRUE(bound.ok()) << bound.status().to_string();
  EXPECT_EQ((*bound)[0], &request.inputs[1]);
  EXPECT_EQ((*bound)[1], &request.inputs[0]);
}

TEST(BindInputs, TakesInputsInDeclaredOrderWhenNoNameMatches) {
  auto request = request_of({fp32_tensor("INPUT__0", {1, 2}, {2, 3}), fp32_tensor("INPUT__1", {1}, {1})});
  auto bound = bind_inputs("test", request, kSpecs);
  ASSERT_TRUE(bound.ok()) << bound.status().to_string();
  EXPECT_EQ((*bound)[0], &request.inputs[0]);
  EXPECT_EQ((*bound)[1], &request.inputs[1]);
}

TEST(BindInputs, NamesAMissingInput) {
  auto bound = bind_inputs("test", request_of({fp32_tensor("a", {1, 2}, {2, 3})}), kSpecs);
  EXPECT_EQ(bound.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bound.status().message(), "test: missing input 'b'");
}

TEST(BindInputs, NamesAnUnknownInput) {
  auto bound = bind_inputs("test", request_of({fp32_tensor("a", {1, 2}, {2, 3}), fp32_tensor("c", {1}, {1})}), kSpecs);
  EXPECT_EQ(bound.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bound.status().message().find("unknown input 'c'"), std::string::npos) << bound.status().message();
}

TEST(BindInputs, RejectsADuplicateInput) {
  auto bound = bind_inputs("test", request_of({fp32_tensor("a", {1, 2}, {2, 3}), fp32_tensor("a", {1, 2}, {2, 3})}),
                           kSpecs);
  EXPECT_EQ(bound.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bound.status().message().find("'a' is given twice"), std::string::npos);
}

TEST(BindInputs, RejectsBytesThatDoNotFitTheShape) {
  auto short_tensor = fp32_tensor("a", {2, 2}, {1, 2, 3});
  auto bound = bind_inputs("test", request_of({short_tensor, fp32_tensor("b", {1}, {1})}), kSpecs);
  EXPECT_EQ(bound.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bound.status().message().find("input 'a'"), std::string::npos) << bound.status().message();
}

TEST(CheckShape, AcceptsAnySizeForVariableDimensions) {
  EXPECT_TRUE(check_shape("test", fp32_tensor("a", {7, 2}, std::vector<float>(14)), kSpecs[0]).ok());
}

TEST(CheckShape, NamesTheInputWhenAFixedDimensionOrTheRankDiffers) {
  Status wrong_dim = check_shape("test", fp32_tensor("a", {7, 3}, std::vector<float>(21)), kSpecs[0]);
  EXPECT_EQ(wrong_dim.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(wrong_dim.message(), "test: input 'a' has shape [7,3], but the model expects [-1,2] (-1 is any size)");
  EXPECT_FALSE(check_shape("test", fp32_tensor("a", {14}, std::vector<float>(14)), kSpecs[0]).ok());
}

TEST(SelectOutputs, ReturnsAllWhenNoneAreNamedAndRejectsUnknownNames) {
  EXPECT_EQ(*select_outputs("test", {}, kSpecs), (std::vector<size_t>{0, 1}));
  EXPECT_EQ(*select_outputs("test", {"b"}, kSpecs), (std::vector<size_t>{1}));
  auto unknown = select_outputs("test", {"z"}, kSpecs);
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("unknown output 'z'"), std::string::npos);
}

TEST(AlignedData, CopiesOnlyMisalignedBytes) {
  std::vector<float> values = {1, 2, 3, 4};
  auto backing = std::make_shared<std::vector<std::byte>>(sizeof(float) * values.size() + 1);
  std::memcpy(backing->data() + 1, values.data(), sizeof(float) * values.size());
  runtime::Tensor misaligned{"a", runtime::DataType::kFp32, {4},
                             runtime::Buffer(backing, backing->data() + 1, sizeof(float) * values.size())};
  std::vector<std::byte> scratch;
  const std::byte* data = aligned_data(misaligned, scratch);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(data) % alignof(float), 0u);
  EXPECT_EQ(std::memcmp(data, values.data(), sizeof(float) * values.size()), 0);

  runtime::Tensor aligned = fp32_tensor("a", {4}, values);
  EXPECT_EQ(aligned_data(aligned, scratch), aligned.data.data());
}

}  // namespace
}  // namespace maas::backends
