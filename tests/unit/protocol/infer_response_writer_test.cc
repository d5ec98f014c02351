#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace maas::protocol {
namespace {

using runtime::DataType;
using testing::bytes_elements;
using testing::make_tensor;
using testing::raw_bytes;

InferResponse sample_response() {
  InferResponse response;
  response.model_name = "iris";
  response.model_version = "3";
  response.id = "req-1";
  response.outputs.push_back(make_tensor("probs", DataType::kFp32, {1, 2}, raw_bytes<float>({0.25f, 0.75f})));
  response.outputs.push_back(make_tensor("label", DataType::kInt64, {1}, raw_bytes<int64_t>({2})));
  return response;
}

TEST(EncodeInferResponse, WritesPlainJsonWhenNoBinaryIsAsked) {
  auto encoded = encode_infer_response(sample_response(), InferRequest{});
  ASSERT_TRUE(encoded.ok()) << encoded.status().to_string();
  EXPECT_EQ(encoded->body, R"({"model_name":"iris","model_version":"3","id":"req-1","outputs":[)"
                           R"({"name":"probs","datatype":"FP32","shape":[1,2],"data":[0.25,0.75]},)"
                           R"({"name":"label","datatype":"INT64","shape":[1],"data":[2]}]})");
  EXPECT_EQ(encoded->json_length, std::nullopt);
  EXPECT_EQ(encoded->content_type, "application/json");
  EXPECT_TRUE(nlohmann::json::accept(encoded->body));
}

TEST(EncodeInferResponse, OmitsAnEmptyVersionAndId) {
  InferResponse response;
  response.model_name = "m";
  auto encoded = encode_infer_response(response, InferRequest{});
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->body, R"({"model_name":"m","outputs":[]})");
}

TEST(EncodeInferResponse, WritesOnlyTheRequestedOutputsInTheOrderAsked) {
  InferRequest request;
  request.outputs = {{"label", std::nullopt}};
  auto encoded = encode_infer_response(sample_response(), request);
  ASSERT_TRUE(encoded.ok());
  auto json = nlohmann::json::parse(encoded->body);
  ASSERT_EQ(json["outputs"].size(), 1u);
  EXPECT_EQ(json["outputs"][0]["name"], "label");

  request.outputs = {{"label", std::nullopt}, {"probs", std::nullopt}};
  encoded = encode_infer_response(sample_response(), request);
  ASSERT_TRUE(encoded.ok());
  json = nlohmann::json::parse(encoded->body);
  EXPECT_EQ(json["outputs"][0]["name"], "label");
  EXPECT_EQ(json["outputs"][1]["name"], "probs");
}

TEST(EncodeInferResponse, AppendsBinaryOutputsAfterTheJson) {
  InferRequest request;
  request.outputs = {{"label", true}, {"probs", std::nullopt}};
  auto encoded = encode_infer_response(sample_response(), request);
  ASSERT_TRUE(encoded.ok()) << encoded.status().to_string();
  ASSERT_TRUE(encoded->json_length.has_value());
  EXPECT_EQ(encoded->content_type, "application/octet-stream");
  const std::string json_text = encoded->body.substr(0, *encoded->json_length);
  EXPECT_EQ(json_text, R"({"model_name":"iris","model_version":"3","id":"req-1","outputs":[)"
                       R"({"name":"label","datatype":"INT64","shape":[1],"parameters":{"binary_data_size":8}},)"
                       R"({"name":"probs","datatype":"FP32","shape":[1,2],"data":[0.25,0.75]}]})");
  EXPECT_EQ(encoded->body.substr(*encoded->json_length), raw_bytes<int64_t>({2}));
}

TEST(EncodeInferResponse, BinaryDataOutputMakesEveryOutputBinaryUnlessOneSaysOtherwise) {
  InferRequest request;
  request.binary_data_output = true;
  auto encoded = encode_infer_response(sample_response(), request);
  ASSERT_TRUE(encoded.ok());
  ASSERT_TRUE(encoded->json_length.has_value());
  EXPECT_EQ(encoded->body.substr(*encoded->json_length), raw_bytes<float>({0.25f, 0.75f}) + raw_bytes<int64_t>({2}));

  request.outputs = {{"probs", false}, {"label", std::nullopt}};
  encoded = encode_infer_response(sample_response(), request);
  ASSERT_TRUE(encoded.ok());
  auto json = nlohmann::json::parse(encoded->body.substr(0, *encoded->json_length));
  EXPECT_EQ(json["outputs"][0]["data"], nlohmann::json::parse("[0.25,0.75]"));
  EXPECT_EQ(json["outputs"][1]["parameters"]["binary_data_size"], 8);
  EXPECT_EQ(encoded->body.substr(*encoded->json_length), raw_bytes<int64_t>({2}));
}

TEST(EncodeInferResponse, EscapesStrings) {
  InferResponse response;
  response.model_name = "a\"b\\c";
  response.id = "line\nbreak\x01";
  response.outputs.push_back(
      make_tensor("s", DataType::kBytes, {3}, bytes_elements({"tab\there", "é😀", std::string("nul\0x", 5)})));
  auto encoded = encode_infer_response(response, InferRequest{});
  ASSERT_TRUE(encoded.ok()) << encoded.status().to_string();
  EXPECT_EQ(encoded->body, R"({"model_name":"a\"b\\c","id":"line\nbreak\u0001","outputs":[)"
                           R"({"name":"s","datatype":"BYTES","shape":[3],"data":["tab\there","é😀","nul\u0000x"]}]})");
  auto json = nlohmann::json::parse(encoded->body);
  EXPECT_EQ(json["outputs"][0]["data"][2].get<std::string>(), std::string("nul\0x", 5));
}

TEST(EncodeInferResponse, RefusesNonUtf8BytesInJsonButSendsThemInBinary) {
  InferResponse response;
  response.model_name = "m";
  response.outputs.push_back(make_tensor("s", DataType::kBytes, {2}, bytes_elements({"ok", "\xff\xfe"})));
  EXPECT_INVALID(encode_infer_response(response, InferRequest{}),
                 "output 's': element 1 is BYTES that are not valid UTF-8, which JSON cannot carry; ask for the "
                 "output with \"binary_data\": true");
  InferRequest binary;
  binary.outputs = {{"s", true}};
  auto encoded = encode_infer_response(response, binary);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->body.substr(*encoded->json_length), bytes_elements({"ok", "\xff\xfe"}));
}

TEST(EncodeInferResponse, RefusesNanAndInfinityInJson) {
  InferResponse response;
  response.model_name = "m";
  response.outputs.push_back(
      make_tensor("y", DataType::kFp32, {2}, raw_bytes<float>({1, std::numeric_limits<float>::quiet_NaN()})));
  EXPECT_INVALID(
      encode_infer_response(response, InferRequest{}),
      "output 'y': element 1 is NaN, which JSON cannot carry; ask for the output with \"binary_data\": true");
  response.outputs[0] = make_tensor("y", DataType::kFp64, {1}, raw_bytes<double>({-INFINITY}));
  EXPECT_INVALID(encode_infer_response(response, InferRequest{}),
                 "output 'y': element 0 is infinite, which JSON cannot carry; ask for the output with \"binary_data\": "
                 "true");
  response.outputs[0] = make_tensor("y", DataType::kFp16, {1}, raw_bytes<uint16_t>({0x7c00}));
  EXPECT_INVALID(encode_infer_response(response, InferRequest{}),
                 "output 'y': element 0 is infinite, which JSON cannot carry; ask for the output with \"binary_data\": "
                 "true");
  InferRequest binary;
  binary.binary_data_output = true;
  EXPECT_TRUE(encode_infer_response(response, binary).ok());
}

TEST(EncodeInferResponse, MissingOrInconsistentOutputsAreInternalErrors) {
  InferRequest request;
  request.outputs = {{"nope", std::nullopt}};
  auto encoded = encode_infer_response(sample_response(), request);
  EXPECT_EQ(encoded.status().code(), StatusCode::kInternal);
  EXPECT_EQ(encoded.status().message(), "the model did not produce the requested output 'nope'");

  InferResponse response = sample_response();
  response.outputs[0].shape = {3, 2};
  encoded = encode_infer_response(response, InferRequest{});
  EXPECT_EQ(encoded.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace maas::protocol
