#include <gtest/gtest.h>

#include <limits>

#include "test_support.h"

namespace maas::protocol {
namespace {

using runtime::DataType;
using testing::binary_body;
using testing::bytes_elements;
using testing::bytes_of;
using testing::parse_binary_request;
using testing::parse_json_request;
using testing::raw_bytes;
using testing::values_of;

TEST(ParseInferRequest, ReadsIdParametersInputsAndOutputs) {
  auto request = parse_json_request(R"({
    "id": "req-1",
    "parameters": {"priority": 3, "mode": "fast", "sampled": true, "ratio": 0.50, "binary_data_output": true,
                   "nested": {"a": [1, 2]}},
    "inputs": [{"name": "x", "shape": [2], "datatype": "INT32", "data": [1, -2]}],
    "outputs": [{"name": "y", "parameters": {"binary_data": false}}, {"name": "z"}]
  })");
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  EXPECT_EQ(request->id, "req-1");
  EXPECT_TRUE(request->binary_data_output);
  EXPECT_EQ(request->parameters, (std::map<std::string, std::string>{{"priority", "3"},
                                                                     {"mode", "fast"},
                                                                     {"sampled", "true"},
                                                                     {"ratio", "0.50"},
                                                                     {"nested", R"({"a": [1, 2]})"}}));
  ASSERT_EQ(request->inputs.size(), 1u);
  EXPECT_EQ(request->inputs[0].name, "x");
  EXPECT_EQ(request->inputs[0].datatype, DataType::kInt32);
  EXPECT_EQ(request->inputs[0].shape, (std::vector<int64_t>{2}));
  EXPECT_EQ(values_of<int32_t>(request->inputs[0]), (std::vector<int32_t>{1, -2}));
  ASSERT_EQ(request->outputs.size(), 2u);
  EXPECT_EQ(request->outputs[0].name, "y");
  EXPECT_EQ(request->outputs[0].binary_data, false);
  EXPECT_EQ(request->outputs[1].name, "z");
  EXPECT_EQ(request->outputs[1].binary_data, std::nullopt);
}

TEST(ParseInferRequest, ReadsInputFieldsInAnyOrderAndIgnoresUnknownFields) {
  auto request = parse_json_request(R"({"extra": {"deep": [1, {"x": 2}]}, "inputs": [
    {"data": [[1.5, 2], [3, 4]], "unknown": null, "shape": [2, 2], "parameters": {"content_type": "np"},
     "datatype": "FP32", "name": "x"}], "id": null, "trailing_field": 7})");
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  EXPECT_EQ(request->id, "");
  EXPECT_EQ(values_of<float>(request->inputs[0]), (std::vector<float>{1.5f, 2, 3, 4}));
}

TEST(ParseInferRequest, NestedAndFlatDataGiveIdenticalTensors) {
  auto nested = parse_json_request(R"({"inputs": [{"name": "x", "shape": [2, 2, 3], "datatype": "INT16",
    "data": [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]}]})");
  auto flat = parse_json_request(R"({"inputs": [{"name": "x", "shape": [2, 2, 3], "datatype": "INT16",
    "data": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]}]})");
  ASSERT_TRUE(nested.ok()) << nested.status().to_string();
  ASSERT_TRUE(flat.ok()) << flat.status().to_string();
  EXPECT_EQ(bytes_of(nested->inputs[0]), bytes_of(flat->inputs[0]));
  EXPECT_EQ(values_of<int16_t>(flat->inputs[0]), (std::vector<int16_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
}

TEST(ParseInferRequest, ReadsScalarsAndEmptyTensors) {
  auto request = parse_json_request(R"({"inputs": [
    {"name": "scalar", "shape": [], "datatype": "FP64", "data": [2.5]},
    {"name": "empty", "shape": [0, 3], "datatype": "FP32", "data": []},
    {"name": "empty_nested", "shape": [2, 0], "datatype": "UINT8", "data": [[], []]},
    {"name": "no_strings", "shape": [0], "datatype": "BYTES", "data": []}]})");
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  EXPECT_EQ(values_of<double>(request->inputs[0]), (std::vector<double>{2.5}));
  EXPECT_EQ(request->inputs[1].data.size(), 0u);
  EXPECT_EQ(request->inputs[2].data.size(), 0u);
  EXPECT_EQ(request->inputs[3].data.size(), 0u);
}

TEST(ParseInferRequest, ReadsBytesAsUnescapedUtf8WithLengthPrefixes) {
  auto request = parse_json_request(R"({"inputs": [{"name": "s", "shape": [2, 2], "datatype": "BYTES",
    "data": [["héllo", ""], ["a\"b\\c\n", "\u00e9\ud83d\ude00"]]}]})");
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  EXPECT_EQ(bytes_of(request->inputs[0]), bytes_elements({"héllo", "", "a\"b\\c\n", "é\xf0\x9f\x98\x80"}));
  EXPECT_TRUE(runtime::validate_tensor(request->inputs[0]).ok());
}

TEST(ParseInferRequest, ReadsBoolsAsBytesZeroAndOne) {
  auto request = parse_json_request(
      R"({"inputs": [{"name": "b", "shape": [3], "datatype": "BOOL", "data": [true, false, true]}]})");
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  EXPECT_EQ(values_of<uint8_t>(request->inputs[0]), (std::vector<uint8_t>{1, 0, 1}));
}

TEST(ParseInferRequest, BinaryInputsAreSlicesOfTheBody) {
  const std::string json = R"({"inputs": [
    {"name": "a", "shape": [2], "datatype": "FP32", "parameters": {"binary_data_size": 8}},
    {"name": "j", "shape": [1], "datatype": "INT8", "data": [5]},
    {"name": "s", "shape": [2], "datatype": "BYTES", "parameters": {"binary_data_size": 15}}]})";
  auto body = binary_body(json, {raw_bytes<float>({1.25f, -3}), bytes_elements({"hi", "there"})});
  auto request = parse_binary_request(body);
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  ASSERT_EQ(request->inputs.size(), 3u);
  EXPECT_EQ(values_of<float>(request->inputs[0]), (std::vector<float>{1.25f, -3}));
  EXPECT_EQ(request->inputs[0].data.data(), body.body.data() + json.size());
  EXPECT_EQ(values_of<int8_t>(request->inputs[1]), (std::vector<int8_t>{5}));
  EXPECT_EQ(bytes_of(request->inputs[2]), bytes_elements({"hi", "there"}));
  EXPECT_EQ(request->inputs[2].data.data(), body.body.data() + json.size() + 8);
}

TEST(ParseInferRequest, BinaryInputsOutliveTheCallersBuffer) {
  std::optional<runtime::Buffer> body(runtime::Buffer::adopt(
      std::string(R"({"inputs":[{"name":"a","shape":[1],"datatype":"INT64","parameters":{"binary_data_size":8}}]})") +
      raw_bytes<int64_t>({-7})));
  const size_t json_length = body->size() - 8;
  auto request = parse_infer_request(*body, json_length);
  body.reset();
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  EXPECT_EQ(values_of<int64_t>(request->inputs[0]), (std::vector<int64_t>{-7}));
}

TEST(ParseInferRequest, AcceptsWhitespaceAroundTheObject) {
  auto request = parse_json_request(" \n\t{\"inputs\": []}\r\n  ");
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  EXPECT_TRUE(request->inputs.empty());
}

TEST(ParseInferRequest, AcceptsAHeaderCoveringTheWholeBody) {
  const std::string json = R"({"inputs": [{"name": "x", "shape": [1], "datatype": "UINT8", "data": [1]}]})";
  auto request = parse_binary_request(binary_body(json, {}));
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  EXPECT_EQ(values_of<uint8_t>(request->inputs[0]), (std::vector<uint8_t>{1}));
}

TEST(ParseInferRequest, RoundsFp32FromTheDecimalNotFromItsNearestDouble) {
  // 1 + 2^-24 lies halfway between the floats 1 and 1 + 2^-23. A decimal a hair above it has that midpoint as its
  // nearest double, so rounding through double would give 1 (ties to even); the right float is 1 + 2^-23.
  auto request = parse_json_request(R"({"inputs": [{"name": "x", "shape": [3], "datatype": "FP32", "data": [
    1.0000000596046447753906250000001, 1.000000059604644775390625, 1.0000000596046447753906249999999]}]})");
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  EXPECT_EQ(values_of<float>(request->inputs[0]), (std::vector<float>{1.00000012f, 1.0f, 1.0f}));
}

TEST(ParseInferRequest, ReadsALargeTensor) {
  std::string json = R"({"inputs": [{"name": "x", "shape": [100000], "datatype": "FP32", "data": [)";
  for (int i = 0; i < 100000; ++i) json += (i ? "," : "") + std::to_string(i) + ".5";
  json += "]}]}";
  auto request = parse_json_request(json);
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  auto values = values_of<float>(request->inputs[0]);
  ASSERT_EQ(values.size(), 100000u);
  EXPECT_EQ(values[0], 0.5f);
  EXPECT_EQ(values[99999], 99999.5f);
}

}  // namespace
}  // namespace maas::protocol
