// Every datatype survives JSON -> tensor -> JSON and binary -> tensor -> binary unchanged, and a JSON request and
// a binary request for the same values give byte-identical tensors.
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

struct RoundTripCase {
  std::string datatype;
  size_t count;
  std::string json_data;  // canonical: exactly what the writer produces
  std::string binary;     // the same values as tensor bytes
};

std::vector<RoundTripCase> cases() {
  using F = std::numeric_limits<float>;
  using D = std::numeric_limits<double>;
  return {
      {"BOOL", 3, "true,false,true", std::string("\x01\x00\x01", 3)},
      {"UINT8", 3, "0,255,7", raw_bytes<uint8_t>({0, 255, 7})},
      {"UINT16", 2, "0,65535", raw_bytes<uint16_t>({0, 65535})},
      {"UINT32", 2, "0,4294967295", raw_bytes<uint32_t>({0, 4294967295u})},
      {"UINT64", 2, "0,18446744073709551615", raw_bytes<uint64_t>({0, std::numeric_limits<uint64_t>::max()})},
      {"INT8", 3, "-128,127,0", raw_bytes<int8_t>({-128, 127, 0})},
      {"INT16", 2, "-32768,32767", raw_bytes<int16_t>({-32768, 32767})},
      {"INT32", 2, "-2147483648,2147483647", raw_bytes<int32_t>({std::numeric_limits<int32_t>::min(), 2147483647})},
      {"INT64", 2, "-9223372036854775808,9223372036854775807",
       raw_bytes<int64_t>({std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()})},
      {"FP16", 6, "0.1,-0,65504,6e-08,1,0.3333", raw_bytes<uint16_t>({0x2e66, 0x8000, 0x7bff, 0x0001, 0x3c00, 0x3555})},
      {"FP32", 7, "0.1,1e-45,-0,3.4028235e+38,-1.1754944e-38,16777216,-3.4028235e+38",
       raw_bytes<float>({0.1f, F::denorm_min(), -0.0f, F::max(), -F::min(), 16777216.0f, F::lowest()})},
      {"FP64", 5, "0.1,5e-324,-0,1.7976931348623157e+308,0.3333333333333333",
       raw_bytes<double>({0.1, D::denorm_min(), -0.0, D::max(), 1.0 / 3})},
      {"BYTES", 4, R"("héllo","","a\"b\\c","😀")", bytes_elements({"héllo", "", "a\"b\\c", "😀"})},
  };
}

std::string request_json(const RoundTripCase& c) {
  return R"({"inputs":[{"name":"x","shape":[)" + std::to_string(c.count) + R"(],"datatype":")" + c.datatype +
         R"(","data":[)" + c.json_data + "]}]}";
}

std::string binary_request_json(const RoundTripCase& c) {
  return R"({"inputs":[{"name":"x","shape":[)" + std::to_string(c.count) + R"(],"datatype":")" + c.datatype +
         R"(","parameters":{"binary_data_size":)" + std::to_string(c.binary.size()) + "}}]}";
}

InferResponse echo(const InferRequest& request) {
  InferResponse response;
  response.model_name = "echo";
  response.outputs = request.inputs;
  return response;
}

TEST(RoundTrip, EveryDatatypeSurvivesJsonToTensorToJson) {
  for (const RoundTripCase& c : cases()) {
    SCOPED_TRACE(c.datatype);
    auto request = parse_json_request(request_json(c));
    ASSERT_TRUE(request.ok()) << request.status().to_string();
    auto encoded = encode_infer_response(echo(*request), *request);
    ASSERT_TRUE(encoded.ok()) << encoded.status().to_string();
    EXPECT_EQ(encoded->body, R"({"model_name":"echo","outputs":[{"name":"x","datatype":")" + c.datatype +
                                 R"(","shape":[)" + std::to_string(c.count) + R"(],"data":[)" + c.json_data + "]}]}");
  }
}

TEST(RoundTrip, EveryDatatypeSurvivesBinaryToTensorToBinary) {
  for (const RoundTripCase& c : cases()) {
    SCOPED_TRACE(c.datatype);
    auto request = parse_binary_request(binary_body(binary_request_json(c), {c.binary}));
    ASSERT_TRUE(request.ok()) << request.status().to_string();
    request->binary_data_output = true;
    auto encoded = encode_infer_response(echo(*request), *request);
    ASSERT_TRUE(encoded.ok()) << encoded.status().to_string();
    ASSERT_TRUE(encoded->json_length.has_value());
    EXPECT_EQ(encoded->body.substr(*encoded->json_length), c.binary);
  }
}

TEST(RoundTrip, JsonAndBinaryRequestsGiveByteIdenticalTensors) {
  for (const RoundTripCase& c : cases()) {
    SCOPED_TRACE(c.datatype);
    auto from_json = parse_json_request(request_json(c));
    auto from_binary = parse_binary_request(binary_body(binary_request_json(c), {c.binary}));
    ASSERT_TRUE(from_json.ok()) << from_json.status().to_string();
    ASSERT_TRUE(from_binary.ok()) << from_binary.status().to_string();
    EXPECT_EQ(bytes_of(from_json->inputs[0]), c.binary);
    EXPECT_EQ(bytes_of(from_binary->inputs[0]), c.binary);
    EXPECT_EQ(from_json->inputs[0].datatype, from_binary->inputs[0].datatype);
    EXPECT_EQ(from_json->inputs[0].shape, from_binary->inputs[0].shape);
  }
}

TEST(RoundTrip, BinaryResponseParsesBackAsARequestWithTheSameTensors) {
  // A response in binary has the same layout as a binary request: its outputs read back as inputs.
  for (const RoundTripCase& c : cases()) {
    SCOPED_TRACE(c.datatype);
    auto request = parse_json_request(request_json(c));
    ASSERT_TRUE(request.ok());
    request->binary_data_output = true;
    auto encoded = encode_infer_response(echo(*request), *request);
    ASSERT_TRUE(encoded.ok());
    std::string body = encoded->body;
    const std::string outputs_key = R"("outputs":)";
    body.replace(body.find(outputs_key), outputs_key.size(), R"("inputs":)");
    const size_t json_length = *encoded->json_length - outputs_key.size() + std::string(R"("inputs":)").size();
    auto reparsed = parse_infer_request(runtime::Buffer::adopt(body), json_length);
    ASSERT_TRUE(reparsed.ok()) << reparsed.status().to_string();
    EXPECT_EQ(bytes_of(reparsed->inputs[0]), c.binary);
  }
}

}  // namespace
}  // namespace maas::protocol
