#include <gtest/gtest.h>

#include "test_support.h"

namespace maas::protocol {
namespace {

using runtime::DataType;
using testing::make_tensor;
using testing::raw_bytes;

runtime::ModelSignature signature() {
  runtime::ModelSignature s;
  s.inputs = {{"features", DataType::kFp32, {-1, 4}}, {"mask", DataType::kBool, {-1}}};
  s.outputs = {{"probs", DataType::kFp32, {-1, 3}}, {"label", DataType::kInt64, {-1}}};
  return s;
}

InferRequest good_request() {
  InferRequest request;
  request.inputs.push_back(make_tensor("features", DataType::kFp32, {2, 4}, std::string(32, '\0')));
  request.inputs.push_back(make_tensor("mask", DataType::kBool, {2}, std::string(2, '\0')));
  return request;
}

TEST(CheckAgainstSignature, AcceptsAMatchingRequestInAnyInputOrder) {
  InferRequest request = good_request();
  EXPECT_TRUE(check_against_signature(request, signature()).ok());
  std::swap(request.inputs[0], request.inputs[1]);
  request.outputs = {{"label", std::nullopt}};
  EXPECT_TRUE(check_against_signature(request, signature()).ok());
}

TEST(CheckAgainstSignature, RefusesUnknownAndMissingInputs) {
  InferRequest request = good_request();
  request.inputs.push_back(make_tensor("extra", DataType::kFp32, {1}, std::string(4, '\0')));
  EXPECT_INVALID(check_against_signature(request, signature()),
                 "unknown input 'extra'; the model's inputs are 'features', 'mask'");
  request = good_request();
  request.inputs.pop_back();
  EXPECT_INVALID(check_against_signature(request, signature()), "missing input 'mask'");
}

TEST(CheckAgainstSignature, RefusesDatatypeRankAndDimensionMismatches) {
  InferRequest request = good_request();
  request.inputs[0] = make_tensor("features", DataType::kFp64, {2, 4}, std::string(64, '\0'));
  EXPECT_INVALID(check_against_signature(request, signature()),
                 "input 'features' has datatype FP64 but the model expects FP32");
  request.inputs[0] = make_tensor("features", DataType::kFp32, {8}, std::string(32, '\0'));
  EXPECT_INVALID(check_against_signature(request, signature()),
                 "input 'features' has shape [8] of rank 1 but the model expects rank 2, shape [-1,4]");
  request.inputs[0] = make_tensor("features", DataType::kFp32, {4, 2}, std::string(32, '\0'));
  EXPECT_INVALID(check_against_signature(request, signature()),
                 "input 'features' has shape [4,2] but the model expects [-1,4]: dimension 1 must be 4");
}

TEST(CheckAgainstSignature, RefusesUnknownRequestedOutputs) {
  InferRequest request = good_request();
  request.outputs = {{"probs", true}, {"logits", std::nullopt}};
  EXPECT_INVALID(check_against_signature(request, signature()),
                 "unknown output 'logits'; the model's outputs are 'probs', 'label'");
}

TEST(CheckAgainstSignature, ChecksAParsedRequest) {
  auto request = testing::parse_json_request(R"({"inputs": [
    {"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]},
    {"name": "mask", "shape": [1], "datatype": "BOOL", "data": [true]}], "outputs": [{"name": "probs"}]})");
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  EXPECT_TRUE(check_against_signature(*request, signature()).ok());
}

}  // namespace
}  // namespace maas::protocol
