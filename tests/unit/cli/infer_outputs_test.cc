#include "cli/infer_outputs.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace maas::cli {
namespace {

using nlohmann::json;

template <typename T>
std::string bytes_of(const std::vector<T>& values) {
  std::string bytes(values.size() * sizeof(T), '\0');
  if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

// A binary response: the JSON, then each output's bytes.
std::pair<std::string, uint64_t> binary_response(const json& head, const std::string& binary) {
  const std::string text = head.dump();
  return {text + binary, text.size()};
}

json output(const std::string& name, const std::string& datatype, const json& shape, size_t size) {
  return {{"name", name}, {"datatype", datatype}, {"shape", shape}, {"parameters", {{"binary_data_size", size}}}};
}

TEST(DecodeInferResponse, LeavesAJsonResponseAsItIs) {
  const std::string body =
      R"({"model_name":"m","model_version":"1","outputs":[{"name":"y","datatype":"FP32","shape":[2],"data":[0.5,1]}]})";
  auto decoded = decode_infer_response(body, std::nullopt);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, json::parse(body));
}

TEST(DecodeInferResponse, TurnsBinaryOutputsIntoDataArrays) {
  const json head = {{"model_name", "m"},
                     {"outputs", json::array({output("f", "FP32", {2}, 8), output("i", "INT64", {1, 2}, 16),
                                              output("b", "BOOL", {3}, 3), output("s", "BYTES", {2}, 13),
                                              output("h", "FP16", {2}, 4), output("u", "UINT8", {2}, 2),
                                              output("d", "FP64", {1}, 8), output("n", "INT8", {1}, 1)})}};
  std::string binary = bytes_of<float>({0.1f, -2.5f}) + bytes_of<int64_t>({-7, 1LL << 40}) + std::string("\1\0\1", 3) +
                       std::string("\2\0\0\0hi\3\0\0\0abc", 13) + bytes_of<uint16_t>({0x3c00, 0xc000}) + "\xff\x01" +
                       bytes_of<double>({0.1}) + "\xfe";
  auto [body, length] = binary_response(head, binary);
  auto decoded = decode_infer_response(body, length);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  const json& outputs = (*decoded)["outputs"];
  // 0.1f prints as the float it is, not as the double 0.10000000149011612.
  EXPECT_EQ(outputs[0]["data"].dump(), "[0.1,-2.5]");
  EXPECT_EQ(static_cast<float>(outputs[0]["data"][0].get<double>()), 0.1f);
  EXPECT_FALSE(outputs[0].contains("parameters"));
  EXPECT_EQ(outputs[1]["data"], json::parse("[-7, 1099511627776]"));
  EXPECT_EQ(outputs[2]["data"], json::parse("[true, false, true]"));
  EXPECT_EQ(outputs[3]["data"], json::parse(R"(["hi", "abc"])"));
  EXPECT_EQ(outputs[4]["data"], json::parse("[1.0, -2.0]"));
  EXPECT_EQ(outputs[5]["data"], json::parse("[255, 1]"));
  EXPECT_EQ(outputs[6]["data"].dump(), "[0.1]");
  EXPECT_EQ(outputs[7]["data"], json::parse("[-2]"));
}

TEST(DecodeInferResponse, KeepsOtherOutputParametersAndJsonOutputs) {
  const json head = json::parse(R"({"outputs": [
      {"name": "a", "datatype": "INT32", "shape": [1], "data": [5]},
      {"name": "b", "datatype": "INT32", "shape": [1], "parameters": {"binary_data_size": 4, "note": "x"}}]})");
  auto [body, length] = binary_response(head, bytes_of<int32_t>({9}));
  auto decoded = decode_infer_response(body, length);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ((*decoded)["outputs"][0]["data"], json::parse("[5]"));
  EXPECT_EQ((*decoded)["outputs"][1]["data"], json::parse("[9]"));
  EXPECT_EQ((*decoded)["outputs"][1]["parameters"], json::parse(R"({"note": "x"})"));
}

TEST(DecodeInferResponse, RefusesBinaryDataThatDoesNotAddUp) {
  const json head = {{"outputs", json::array({output("f", "FP32", {2}, 8)})}};
  auto [short_body, length] = binary_response(head, std::string(4, '\0'));
  EXPECT_FALSE(decode_infer_response(short_body, length).ok());
  auto [long_body, long_length] = binary_response(head, std::string(12, '\0'));
  EXPECT_FALSE(decode_infer_response(long_body, long_length).ok());
  auto [wrong_shape, wrong_length] =
      binary_response({{"outputs", json::array({output("f", "FP32", {3}, 8)})}}, std::string(8, '\0'));
  EXPECT_FALSE(decode_infer_response(wrong_shape, wrong_length).ok());
  auto [unknown, unknown_length] =
      binary_response({{"outputs", json::array({output("f", "FP8", {1}, 1)})}}, std::string(1, '\0'));
  EXPECT_FALSE(decode_infer_response(unknown, unknown_length).ok());
  EXPECT_FALSE(decode_infer_response("{}", 10).ok());
  EXPECT_FALSE(decode_infer_response("not json", std::nullopt).ok());
  EXPECT_FALSE(decode_infer_response("[1]", std::nullopt).ok());
}

TEST(TensorValuesText, NestsValuesByShape) {
  EXPECT_EQ(tensor_values_text(json::parse("[1, 2, 3, 4]"), json::parse("[2, 2]")), "[[1, 2], [3, 4]]");
  EXPECT_EQ(tensor_values_text(json::parse("[0.5]"), json::parse("[]")), "0.5");
  EXPECT_EQ(tensor_values_text(json::parse(R"(["a", true])"), json::parse("[2]")), R"(["a", true])");
  EXPECT_EQ(tensor_values_text(json::array(), json::parse("[2, 0]")), "[[], []]");
  // A shape that does not fit the data shows the data flat.
  EXPECT_EQ(tensor_values_text(json::parse("[1, 2, 3]"), json::parse("[2, 2]")), "[1, 2, 3]");
  EXPECT_EQ(tensor_values_text(json::parse("[1, 2]"), json::parse("[-1]")), "[1, 2]");
}

TEST(TensorValuesText, SummarisesLongDimensionsAboveTwelveElements) {
  json twelve = json::array();
  for (int i = 0; i < 12; ++i) twelve.push_back(i);
  EXPECT_EQ(tensor_values_text(twelve, json::parse("[12]")), "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]");
  json many = json::array();
  for (int i = 0; i < 64 * 2; ++i) many.push_back(i);
  EXPECT_EQ(tensor_values_text(many, json::parse("[64, 2]")),
            "[[0, 1], [2, 3], [4, 5], ..., [122, 123], [124, 125], [126, 127]]");
  EXPECT_EQ(tensor_values_text(many, json::parse("[1, 128]")), "[[0, 1, 2, ..., 125, 126, 127]]");
}

TEST(TensorValuesText, ShowsNanAndInfinityByName) {
  json values = json::array({std::nan(""), INFINITY, -INFINITY});
  EXPECT_EQ(tensor_values_text(values, json::parse("[3]")), "[nan, inf, -inf]");
}

TEST(RenderInferOutputsTable, ShowsOneRowPerOutput) {
  const json response = json::parse(R"({"model_name": "m", "outputs": [
      {"name": "probabilities", "datatype": "FP32", "shape": [1, 2], "data": [0.25, 0.75]},
      {"name": "label", "datatype": "INT64", "shape": [1], "data": [1]},
      {"name": "odd", "datatype": "FP32", "shape": [1]}]})");
  EXPECT_EQ(render_infer_outputs_table(response),
            "NAME           DATATYPE  SHAPE  VALUES\n"
            "probabilities  FP32      [1,2]  [[0.25, 0.75]]\n"
            "label          INT64     [1]    [1]\n"
            "odd            FP32      [1]    -\n");
  EXPECT_EQ(render_infer_outputs_table(json::object()), "NAME  DATATYPE  SHAPE  VALUES\n");
}

}  // namespace
}  // namespace maas::cli
