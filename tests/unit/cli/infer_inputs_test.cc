#include "cli/infer_inputs.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace maas::cli {
namespace {

using nlohmann::json;

std::string npy_file(const std::string& descr, const std::string& shape, const std::string& data) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  return std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header + data;
}

TEST(ParseInputFlag, TellsFilesFromInlineJson) {
  auto file = parse_input_flag("input=@rows.npy");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->name, "input");
  EXPECT_EQ(file->value, "rows.npy");
  EXPECT_TRUE(file->from_file);
  auto inline_json = parse_input_flag("x=[[1,2],[3,4]]");
  ASSERT_TRUE(inline_json.ok());
  EXPECT_EQ(inline_json->name, "x");
  EXPECT_EQ(inline_json->value, "[[1,2],[3,4]]");
  EXPECT_FALSE(inline_json->from_file);
  // Only the first '=' separates: JSON may hold more.
  EXPECT_EQ(parse_input_flag(R"(x={"a":"b=c"})")->value, R"({"a":"b=c"})");
}

TEST(ParseInputFlag, RefusesFlagsWithoutNameOrValue) {
  for (const char* bad : {"input", "=[1]", "input=", "input=@"}) EXPECT_FALSE(parse_input_flag(bad).ok()) << bad;
}

TEST(ParseDatatypeFlags, AcceptsV2DatatypesOnceEach) {
  auto datatypes = parse_datatype_flags({"a=INT64", "b=BYTES"});
  ASSERT_TRUE(datatypes.ok());
  EXPECT_EQ(datatypes->at("a"), "INT64");
  EXPECT_EQ(datatypes->at("b"), "BYTES");
  EXPECT_FALSE(parse_datatype_flags({"a=float32"}).ok());
  EXPECT_FALSE(parse_datatype_flags({"a=fp32"}).ok());
  EXPECT_FALSE(parse_datatype_flags({"a=FP32", "a=FP64"}).ok());
  EXPECT_FALSE(parse_datatype_flags({"FP32"}).ok());
}

TEST(ParseParameterFlags, TypesBooleansAndIntegers) {
  auto parameters = parse_parameter_flags({"priority=1", "timeout=-5", "flag=true", "off=false", "output=margin",
                                           "ratio=0.5", "big=12345678901234567890", "empty="});
  ASSERT_TRUE(parameters.ok());
  EXPECT_EQ(*parameters, json::parse(R"({"priority": 1, "timeout": -5, "flag": true, "off": false,
      "output": "margin", "ratio": "0.5", "big": "12345678901234567890", "empty": ""})"));
  EXPECT_FALSE(parse_parameter_flags({"a=1", "a=2"}).ok());
  EXPECT_FALSE(parse_parameter_flags({"=1"}).ok());
}

TEST(JsonInput, TakesTheShapeFromTheNesting) {
  auto input = json_input("x", json::parse("[[1, 2, 3], [4, 5, 6]]"), std::nullopt);
  ASSERT_TRUE(input.ok()) << input.status().message();
  EXPECT_EQ(input->header(), json::parse(R"({"name": "x", "datatype": "FP32", "shape": [2, 3],
                                             "data": [1, 2, 3, 4, 5, 6]})"));
  EXPECT_FALSE(input->is_binary());
  EXPECT_EQ(json_input("x", json::parse("[[1.5]]"), std::string("FP64"))->header()["datatype"], "FP64");
  EXPECT_EQ(json_input("x", json::parse("[]"), std::nullopt)->header()["shape"], json::parse("[0]"));
  EXPECT_EQ(json_input("x", json::parse("[[], []]"), std::nullopt)->header()["shape"], json::parse("[2, 0]"));
  EXPECT_EQ(json_input("x", json::parse("7"), std::nullopt)->header()["shape"], json::array());
}

TEST(JsonInput, DefaultsBooleansToBoolAndStringsToBytes) {
  EXPECT_EQ(json_input("x", json::parse("[true, false]"), std::nullopt)->header()["datatype"], "BOOL");
  EXPECT_EQ(json_input("x", json::parse(R"(["a", "b"])"), std::nullopt)->header()["datatype"], "BYTES");
}

TEST(JsonInput, RefusesRaggedMixedAndNonScalarElements) {
  for (const char* bad : {"[[1, 2], [3]]", "[[1, 2], 3]", "[1, [2, 3]]", "[1, true]", "[1, \"a\"]", "[null]",
                          "[{\"a\": 1}]", "[[[1]], [[2, 3]]]"}) {
    EXPECT_FALSE(json_input("x", json::parse(bad), std::nullopt).ok()) << bad;
  }
}

TEST(JsonInput, PassesAWholeInputObjectOn) {
  auto input =
      json_input("x", json::parse(R"({"shape": [2, 2], "datatype": "INT32", "data": [[1, 2], [3, 4]]})"), std::nullopt);
  ASSERT_TRUE(input.ok()) << input.status().message();
  EXPECT_EQ(input->header(), json::parse(R"({"name": "x", "datatype": "INT32", "shape": [2, 2],
                                             "data": [[1, 2], [3, 4]]})"));
  auto named = json_input("x", json::parse(R"({"name": "x", "shape": [1], "data": [1.5]})"), std::string("FP64"));
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->header()["datatype"], "FP64");
  EXPECT_EQ(json_input("x", json::parse(R"({"shape": [1], "data": [true]})"), std::nullopt)->header()["datatype"],
            "BOOL");
}

TEST(JsonInput, RefusesInconsistentInputObjects) {
  const std::vector<std::string> bad = {
      R"({"name": "y", "shape": [1], "datatype": "FP32", "data": [1]})",
      R"({"datatype": "FP32", "data": [1]})",
      R"({"shape": [-1], "datatype": "FP32", "data": [1]})",
      R"({"shape": "1", "datatype": "FP32", "data": [1]})",
      R"({"shape": [1], "datatype": "FP32"})",
      R"({"shape": [1], "datatype": "FLOAT", "data": [1]})",
      R"({"shape": [1], "datatype": "FP32", "data": [1], "parameters": {"binary_data_size": 4}})",
  };
  for (const auto& text : bad) EXPECT_FALSE(json_input("x", json::parse(text), std::nullopt).ok()) << text;
  EXPECT_FALSE(
      json_input("x", json::parse(R"({"shape": [1], "datatype": "FP32", "data": [1]})"), std::string("FP64")).ok());
}

TEST(NpyInput, SendsTheFileBytesAsABinaryTensor) {
  const std::string data("\x00\x00\x80\x3f\x00\x00\x00\x40", 8);  // 1.0f, 2.0f
  auto input = npy_input("x", npy_file("<f4", "(1, 2)", data), std::nullopt);
  ASSERT_TRUE(input.ok()) << input.status().message();
  EXPECT_TRUE(input->is_binary());
  EXPECT_EQ(input->header(), json::parse(R"({"name": "x", "datatype": "FP32", "shape": [1, 2],
                                             "parameters": {"binary_data_size": 8}})"));
  EXPECT_EQ(input->binary(), data);
  EXPECT_TRUE(npy_input("x", npy_file("<f4", "(1, 2)", data), std::string("FP32")).ok());
  auto converted = npy_input("x", npy_file("<f4", "(1, 2)", data), std::string("FP64"));
  ASSERT_FALSE(converted.ok());
  EXPECT_NE(converted.status().message().find("not converted"), std::string::npos);
  EXPECT_FALSE(npy_input("x", "not numpy", std::nullopt).ok());
}

TEST(ReadInput, ParsesInlineJsonAndNamesTheFlagWhenItIsNot) {
  auto input = read_input({"x", "[[1,2]]", false}, std::nullopt);
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(input->header()["shape"], json::parse("[1, 2]"));
  auto bad = read_input({"x", "[[1,2]", false}, std::nullopt);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("not JSON"), std::string::npos);
  EXPECT_FALSE(read_input({"x", "/nonexistent/rows.json", true}, std::nullopt).ok());
}

TEST(EncodeInferRequest, SendsPlainJsonWithoutBinaryInputs) {
  std::vector<RequestInput> inputs;
  inputs.push_back(*json_input("x", json::parse("[[1, 2]]"), std::nullopt));
  auto request = encode_infer_request(inputs, {"probabilities"}, false, json{{"priority", 1}});
  EXPECT_EQ(request.content_type, "application/json");
  EXPECT_FALSE(request.json_length.has_value());
  EXPECT_EQ(json::parse(request.body), json::parse(R"({
      "inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 2], "data": [1, 2]}],
      "outputs": [{"name": "probabilities"}], "parameters": {"priority": 1}})"));
}

TEST(EncodeInferRequest, AppendsBinaryInputsAfterTheJsonInInputOrder) {
  std::vector<RequestInput> inputs;
  inputs.push_back(*npy_input("a", npy_file("|u1", "(2,)", "AB"), std::nullopt));
  inputs.push_back(*json_input("b", json::parse("[1]"), std::nullopt));
  inputs.push_back(*npy_input("c", npy_file("|u1", "(3,)", "CDE"), std::nullopt));
  auto request = encode_infer_request(inputs, {}, true, json::object());
  EXPECT_EQ(request.content_type, "application/octet-stream");
  ASSERT_TRUE(request.json_length.has_value());
  EXPECT_EQ(request.body.substr(*request.json_length), "ABCDE");
  const json head = json::parse(request.body.substr(0, *request.json_length));
  EXPECT_EQ(head["parameters"], json::parse(R"({"binary_data_output": true})"));
  EXPECT_EQ(head["inputs"][0]["parameters"]["binary_data_size"], 2);
  EXPECT_EQ(head["inputs"][1]["data"], json::parse("[1]"));
  EXPECT_EQ(head["inputs"][2]["parameters"]["binary_data_size"], 3);
  EXPECT_FALSE(head.contains("outputs"));
}

}  // namespace
}  // namespace maas::cli
