// Triton's shared memory parameters on inputs and requested outputs, and how an output in a region is answered.
#include <gtest/gtest.h>

#include "test_support.h"

namespace maas::protocol {
namespace {

using runtime::DataType;
using testing::make_tensor;
using testing::parse_json_request;
using testing::raw_bytes;

TEST(SharedMemoryParams, AnInputInARegionHasNoDataUntilTheCallerReadsIt) {
  auto request = parse_json_request(R"({"inputs": [{"name": "x", "datatype": "FP32", "shape": [2],
      "parameters": {"shared_memory_region": "in", "shared_memory_byte_size": 8, "shared_memory_offset": 16}}],
      "outputs": [{"name": "y", "parameters": {"shared_memory_region": "out", "shared_memory_byte_size": 8}}]})");
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  ASSERT_EQ(request->inputs.size(), 1u);
  EXPECT_EQ(request->inputs[0].data.size(), 0u);
  const SharedMemoryRef& in = request->shared_memory_inputs.at("x");
  EXPECT_EQ(in.region, "in");
  EXPECT_EQ(in.offset, 16u);
  EXPECT_EQ(in.byte_size, 8u);
  const SharedMemoryRef& out = request->shared_memory_outputs.at("y");
  EXPECT_EQ(out.region, "out");
  EXPECT_EQ(out.offset, 0u);
}

TEST(SharedMemoryParams, RegionAndByteSizeComeTogetherAndExcludeData) {
  EXPECT_INVALID(parse_json_request(R"({"inputs": [{"name": "x", "datatype": "FP32", "shape": [2],
      "parameters": {"shared_memory_region": "in"}}]})"),
                 "input 'x': shared_memory_region and shared_memory_byte_size must be given together "
                 "(shared_memory_offset is optional)");
  EXPECT_INVALID(parse_json_request(R"({"inputs": [{"name": "x", "datatype": "FP32", "shape": [2], "data": [1, 2],
      "parameters": {"shared_memory_region": "in", "shared_memory_byte_size": 8}}]})"),
                 "input 'x' is in shared memory and must not also have data or binary_data_size");
  EXPECT_INVALID(parse_json_request(R"({"inputs": [{"name": "x", "datatype": "FP32", "shape": [2],
      "parameters": {"shared_memory_region": "in", "shared_memory_byte_size": -8}}]})"),
                 "input 'x': shared_memory_byte_size must be a non-negative integer");
  EXPECT_INVALID(parse_json_request(R"({"inputs": [{"name": "x", "datatype": "FP32", "shape": [2], "data": [1, 2]}],
      "outputs": [{"name": "y", "parameters": {"shared_memory_byte_size": 8, "shared_memory_offset": 0}}]})"),
                 "output 'y': shared_memory_region and shared_memory_byte_size must be given together "
                 "(shared_memory_offset is optional)");
}

TEST(SharedMemoryParams, BytesReadFromARegionAreCheckedLikeBinaryData) {
  runtime::Tensor x = make_tensor("x", DataType::kFp32, {2}, raw_bytes<float>({1.0f}));
  EXPECT_INVALID(check_shared_memory_input(x),
                 "input 'x': shape [2] of FP32 needs 8 bytes but shared_memory_byte_size is 4");
  x = make_tensor("x", DataType::kFp32, {2}, raw_bytes<float>({1.0f, 2.0f}));
  EXPECT_TRUE(check_shared_memory_input(x).ok());
}

TEST(SharedMemoryParams, AnOutputInARegionIsAnsweredWithItsSizeAndNoData) {
  InferResponse response;
  response.model_name = "m";
  response.outputs.push_back(make_tensor("y", DataType::kFp32, {2}, raw_bytes<float>({0.5f, 1.5f})));
  InferRequest request;
  request.binary_data_output = true;
  request.outputs.push_back({"y", std::nullopt});
  request.shared_memory_outputs["y"] = SharedMemoryRef{"out", 4, 64};
  auto encoded = encode_infer_response(response, request);
  ASSERT_TRUE(encoded.ok()) << encoded.status().to_string();
  EXPECT_EQ(encoded->body, R"({"model_name":"m","outputs":[{"name":"y","datatype":"FP32","shape":[2],)"
                           R"("parameters":{"shared_memory_region":"out","shared_memory_byte_size":8}}]})");
  EXPECT_FALSE(encoded->json_length.has_value());
  EXPECT_EQ(encoded->content_type, "application/json");
}

}  // namespace
}  // namespace maas::protocol
