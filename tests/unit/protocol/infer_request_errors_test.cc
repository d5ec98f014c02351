// Every malformed request is INVALID_ARGUMENT with a message that names the input and the problem.
#include <gtest/gtest.h>

#include "test_support.h"

namespace maas::protocol {
namespace {

using testing::binary_body;
using testing::bytes_elements;
using testing::parse_binary_request;
using testing::parse_json_request;
using testing::raw_bytes;

// A one-input request with the given datatype, shape and data (JSON text).
Result<InferRequest> one_input(std::string_view datatype, std::string_view shape, std::string_view data) {
  return parse_json_request(std::string(R"({"inputs": [{"name": "x", "datatype": ")") + std::string(datatype) +
                            R"(", "shape": )" + std::string(shape) + R"(, "data": )" + std::string(data) + "}]}");
}

// What is not JSON (NaN, 01, a number past what simdjson reads, content after the object) is refused whole: the
// JSON part is validated before the walk that names elements.
void expect_not_json(const Result<InferRequest>& parsed) {
  const Status status = testing::status_of(parsed);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(status.message().starts_with("the request is not valid JSON: ")) << status.message();
}

TEST(InferRequestErrors, DataLengthMustMatchTheShape) {
  EXPECT_INVALID(one_input("FP32", "[2, 3]", "[1, 2, 3, 4, 5]"),
                 "input 'x': shape [2,3] needs 6 elements but data has 5");
  EXPECT_INVALID(one_input("FP32", "[2, 3]", "[1, 2, 3, 4, 5, 6, 7]"),
                 "input 'x': shape [2,3] needs 6 elements but data has 7");
  EXPECT_INVALID(one_input("INT8", "[]", "[]"), "input 'x': shape [] needs 1 elements but data has 0");
  EXPECT_INVALID(one_input("BYTES", "[1]", R"(["a", "b"])"), "input 'x': shape [1] needs 1 elements but data has 2");
}

TEST(InferRequestErrors, NestedDataMustBeRectangularAndMatchTheShape) {
  EXPECT_INVALID(one_input("FP32", "[2, 3]", "[[1, 2, 3], [4, 5]]"),
                 "input 'x': data[1] has 2 elements but shape [2,3] needs 3 there");
  EXPECT_INVALID(one_input("FP32", "[2, 3]", "[[1, 2, 3], [4, 5, 6], [7, 8, 9]]"),
                 "input 'x': data has 3 elements but shape [2,3] needs 2 there");
  EXPECT_INVALID(one_input("FP32", "[2, 3]", "[[1, 2, 3], 4, 5, 6]"),
                 "input 'x': data[1] is a value but shape [2,3] needs an array there");
  EXPECT_INVALID(one_input("FP32", "[2, 2]", "[[1, [2]], [3, 4]]"),
                 "input 'x': data[0][1] is an array but shape [2,2] needs a value there");
  EXPECT_INVALID(one_input("FP32", "[2, 3]", "[1, 2, 3, [4, 5, 6]]"),
                 "input 'x': data[3] is an array; data must be a flat list of values, or nested to match shape [2,3]");
  EXPECT_INVALID(one_input("FP32", "[3]", "[[1, 2, 3]]"),
                 "input 'x': data[0] is an array; data must be a flat list of values, or nested to match shape [3]");
  EXPECT_INVALID(one_input("FP32", "[3]", "7"), "input 'x': data must be an array");
}

TEST(InferRequestErrors, DatatypeMustBeKnown) {
  EXPECT_INVALID(one_input("FP31", "[1]", "[1]"),
                 "input 'x': datatype 'FP31' is not one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, "
                 "INT64, FP16, FP32, FP64, BYTES");
  EXPECT_INVALID(one_input("fp32", "[1]", "[1]"),
                 "input 'x': datatype 'fp32' is not one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, "
                 "INT64, FP16, FP32, FP64, BYTES");
}

TEST(InferRequestErrors, IntegersMustBeIntegersInRange) {
  EXPECT_INVALID(one_input("INT8", "[3]", "[1, 300, 2]"), "input 'x': element 1 is 300, out of range for INT8");
  EXPECT_INVALID(one_input("INT8", "[1]", "[-129]"), "input 'x': element 0 is -129, out of range for INT8");
  EXPECT_INVALID(one_input("UINT8", "[1]", "[-1]"), "input 'x': element 0 is -1, out of range for UINT8");
  EXPECT_INVALID(one_input("UINT16", "[1]", "[65536]"), "input 'x': element 0 is 65536, out of range for UINT16");
  EXPECT_INVALID(one_input("INT32", "[1]", "[2147483648]"),
                 "input 'x': element 0 is 2147483648, out of range for INT32");
  EXPECT_INVALID(one_input("UINT32", "[1]", "[4294967296]"),
                 "input 'x': element 0 is 4294967296, out of range for UINT32");
  EXPECT_INVALID(one_input("INT64", "[1]", "[9223372036854775808]"),
                 "input 'x': element 0 is 9223372036854775808, out of range for INT64");
  expect_not_json(one_input("UINT64", "[1]", "[18446744073709551616]"));  // past any JSON integer simdjson reads
  EXPECT_INVALID(one_input("INT32", "[2]", "[1, 2.5]"), "input 'x': element 1 is 2.5, but INT32 data must be integers");
  EXPECT_INVALID(one_input("INT64", "[2]", "[1, 1e3]"), "input 'x': element 1 is 1e3, but INT64 data must be integers");
}

TEST(InferRequestErrors, NumbersMustBeNumbers) {
  EXPECT_INVALID(one_input("FP32", "[2]", R"([1, "NaN"])"),
                 "input 'x': element 1 is a string, but FP32 data must be numbers");
  expect_not_json(one_input("FP64", "[2]", "[1, NaN]"));
  expect_not_json(one_input("FP64", "[2]", "[1, Infinity]"));
  EXPECT_INVALID(one_input("FP16", "[2]", "[1, null]"), "input 'x': element 1 is null, but FP16 data must be numbers");
  EXPECT_INVALID(one_input("UINT8", "[2]", "[1, true]"),
                 "input 'x': element 1 is true, but UINT8 data must be numbers");
  EXPECT_INVALID(one_input("FP32", "[2]", "[1, {}]"),
                 "input 'x': element 1 is an object, but FP32 data must be numbers");
  expect_not_json(one_input("FP32", "[2]", "[1, 01]"));
  EXPECT_INVALID(one_input("FP32", "[1]", "[1e39]"), "input 'x': element 0 is 1e39, out of range for FP32");
  expect_not_json(one_input("FP64", "[1]", "[-1e309]"));
  EXPECT_INVALID(one_input("FP16", "[1]", "[70000]"), "input 'x': element 0 is 70000, out of range for FP16");
}

TEST(InferRequestErrors, BoolsAndBytesMustHaveTheirJsonTypes) {
  EXPECT_INVALID(one_input("BOOL", "[2]", "[true, 1]"),
                 "input 'x': element 1 is 1, but BOOL data must be true or false");
  EXPECT_INVALID(one_input("BOOL", "[1]", R"(["true"])"),
                 "input 'x': element 0 is a string, but BOOL data must be true or false");
  EXPECT_INVALID(one_input("BYTES", "[2]", R"(["a", 5])"), "input 'x': element 1 is 5, but BYTES data must be strings");
}

TEST(InferRequestErrors, ShapeMustBeNonNegativeIntegers) {
  EXPECT_INVALID(one_input("FP32", "[-1, 3]", "[]"), "input 'x': shape [-1,3] has a negative dimension");
  EXPECT_INVALID(one_input("FP32", "[1.5]", "[]"), "input 'x': shape must be an array of non-negative integers");
  EXPECT_INVALID(one_input("FP32", R"(["2"])", "[]"), "input 'x': shape must be an array of non-negative integers");
  EXPECT_INVALID(one_input("FP32", "3", "[]"), "input 'x': shape must be an array");
  EXPECT_INVALID(one_input("FP32", "[4294967296, 4294967296]", "[]"),
                 "input 'x': shape [4294967296,4294967296] has more than the 268435456 elements a tensor may have "
                 "(limits.max_tensor_elements)");
  // 2^32 * 2^32 * 2^32 wraps to 0 in 64 bits: it must not pass as an empty tensor.
  EXPECT_INVALID(one_input("FP32", "[4294967296, 4294967296, 4294967296]", "[]"),
                 "input 'x': shape [4294967296,4294967296,4294967296] has more than the 268435456 elements a tensor "
                 "may have (limits.max_tensor_elements)");
  std::string deep = "[1";
  for (int i = 1; i < 65; ++i) deep += ",1";
  EXPECT_INVALID(one_input("FP32", deep + "]", "[1]"), "input 'x': shape has more than 64 dimensions");
  // The buffer is sized from the shape before the data is read: a shape the JSON cannot fill is refused first.
  EXPECT_INVALID(one_input("FP64", "[100000000]", "[1]"),
                 "input 'x': shape [100000000] needs 100000000 elements, more than the 82-byte JSON can hold");
}

TEST(InferRequestErrors, ShapesClaimingMoreThanTheTensorLimitAreRefused) {
  // A zero dimension holds no data, but the other dimensions still claim their size: a backend is never handed a
  // [0, 2^40] tensor.
  EXPECT_INVALID(one_input("FP32", "[0, 1099511627776]", "[]"),
                 "input 'x': shape [0,1099511627776] has more than the 268435456 elements a tensor may have "
                 "(limits.max_tensor_elements)");
  const std::string huge_binary =
      R"({"inputs": [{"name": "x", "shape": [0, 4294967296, 4294967296], "datatype": "UINT8",)"
      R"( "parameters": {"binary_data_size": 0}}]})";
  EXPECT_INVALID(parse_binary_request(binary_body(huge_binary, {})),
                 "input 'x': shape [0,4294967296,4294967296] has more than the 268435456 elements a tensor may have "
                 "(limits.max_tensor_elements)");
  // The limit is the caller's (limits.max_tensor_elements); exactly the limit passes.
  const std::string six = R"({"inputs": [{"name": "x", "shape": [2, 3], "datatype": "INT8", "data": [1,2,3,4,5,6]}]})";
  EXPECT_TRUE(parse_infer_request(runtime::Buffer::adopt(std::string(six)), std::nullopt, 6).ok());
  EXPECT_INVALID(parse_infer_request(runtime::Buffer::adopt(std::string(six)), std::nullopt, 5),
                 "input 'x': shape [2,3] has more than the 5 elements a tensor may have (limits.max_tensor_elements)");
  const std::string empty = R"({"inputs": [{"name": "x", "shape": [0, 6], "datatype": "INT8", "data": []}]})";
  EXPECT_TRUE(parse_infer_request(runtime::Buffer::adopt(std::string(empty)), std::nullopt, 6).ok());
  EXPECT_INVALID(parse_infer_request(runtime::Buffer::adopt(std::string(empty)), std::nullopt, 5),
                 "input 'x': shape [0,6] has more than the 5 elements a tensor may have (limits.max_tensor_elements)");
}

TEST(InferRequestErrors, InputsNeedNameDatatypeShapeAndData) {
  EXPECT_INVALID(parse_json_request(R"({"inputs": [{"shape": [1], "datatype": "FP32", "data": [1]}]})"),
                 "input 0 has no 'name'");
  EXPECT_INVALID(parse_json_request(R"({"inputs": [{"name": 5, "shape": [1], "datatype": "FP32", "data": [1]}]})"),
                 "the name of input 0 must be a string");
  EXPECT_INVALID(parse_json_request(R"({"inputs": [{"name": "x", "shape": [1], "data": [1]}]})"),
                 "input 'x' has no 'datatype'");
  EXPECT_INVALID(parse_json_request(R"({"inputs": [{"name": "x", "datatype": "FP32", "data": [1]}]})"),
                 "input 'x' has no 'shape'");
  EXPECT_INVALID(parse_json_request(R"({"inputs": [{"name": "x", "datatype": "FP32", "shape": [1]}]})"),
                 "input 'x' has neither data nor binary_data_size");
  EXPECT_INVALID(parse_json_request(R"({"inputs": [5]})"), "input 0 must be an object");
  EXPECT_INVALID(parse_json_request(R"({"inputs": {"name": "x"}})"), "'inputs' must be an array");
  EXPECT_INVALID(parse_json_request(R"({"id": "a"})"), "the request has no 'inputs'");
}

TEST(InferRequestErrors, NamesMustBeUnique) {
  EXPECT_INVALID(parse_json_request(R"({"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "data": [1]},
                                                   {"name": "x", "shape": [1], "datatype": "FP32", "data": [2]}]})"),
                 "duplicate input 'x'");
  EXPECT_INVALID(parse_json_request(R"({"inputs": [], "outputs": [{"name": "y"}, {"name": "y"}]})"),
                 "duplicate output 'y'");
  EXPECT_INVALID(parse_json_request(R"({"inputs": [], "inputs": []})"), "the request has more than one 'inputs'");
}

TEST(InferRequestErrors, FieldsMustHaveTheirTypes) {
  EXPECT_INVALID(parse_json_request(R"({"id": 7, "inputs": []})"), "'id' must be a string");
  EXPECT_INVALID(parse_json_request(R"({"parameters": [], "inputs": []})"), "'parameters' must be an object");
  EXPECT_INVALID(parse_json_request(R"({"parameters": {"binary_data_output": 1}, "inputs": []})"),
                 "parameter 'binary_data_output' must be true or false");
  EXPECT_INVALID(
      parse_json_request(R"({"inputs": [], "outputs": [{"name": "y", "parameters": {"binary_data": "yes"}}]})"),
      "output 'y': binary_data must be true or false");
  EXPECT_INVALID(parse_json_request(R"({"inputs": [], "outputs": [{}]})"), "output 0 has no 'name'");
  EXPECT_INVALID(parse_json_request(R"({"inputs": [{"name": "x", "shape": [1], "datatype": "FP32",
                                                    "parameters": {"binary_data_size": -4}}]})"),
                 "input 'x': binary_data_size must be a non-negative integer");
}

TEST(InferRequestErrors, BodyMustBeOneJsonObject) {
  EXPECT_INVALID(parse_json_request("[1, 2]"), "the request must be a JSON object");
  expect_not_json(parse_json_request(R"({"inputs": []} {"inputs": []})"));
  const Status truncated = parse_json_request(R"({"inputs": [{"name": "x", "shape": [1], "datatype": "FP32")").status();
  EXPECT_EQ(truncated.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(truncated.message().starts_with("the request is not valid JSON: ")) << truncated.message();
  const Status empty = parse_json_request("").status();
  EXPECT_EQ(empty.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(empty.message().starts_with("the request is not valid JSON: ")) << empty.message();
  const Status bad_utf8 = parse_json_request("{\"inputs\": [], \"id\": \"\xff\"}").status();
  EXPECT_EQ(bad_utf8.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(bad_utf8.message().starts_with("the request is not valid JSON: ")) << bad_utf8.message();
}

constexpr std::string_view kBinaryInput =
    R"({"inputs": [{"name": "x", "shape": [3], "datatype": "FP32", "parameters": {"binary_data_size": 12}}]})";

TEST(InferRequestErrors, HeaderLengthMustFitTheBody) {
  auto body = runtime::Buffer::adopt(std::string(120, ' '));
  EXPECT_INVALID(parse_infer_request(body, 500), "Inference-Header-Content-Length 500 exceeds the body of 120 bytes");
}

TEST(InferRequestErrors, BinarySizesMustAddUpToTheBody) {
  EXPECT_INVALID(parse_binary_request(binary_body(std::string(kBinaryInput), {std::string(8, '\0')})),
                 "binary_data_size of input 'x' is 12 but only 8 bytes remain");
  EXPECT_INVALID(parse_binary_request(binary_body(std::string(kBinaryInput), {std::string(16, '\0')})),
                 "the body has 16 bytes of binary data after the JSON but the inputs' binary_data_size add up to 12");
  const std::string json = R"({"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "data": [1]}]})";
  EXPECT_INVALID(parse_binary_request(binary_body(json, {"junk"})),
                 "the body has 4 bytes of binary data after the JSON but the inputs' binary_data_size add up to 0");
}

TEST(InferRequestErrors, BinarySizeMustMatchTheShape) {
  const std::string json =
      R"({"inputs": [{"name": "x", "shape": [2, 3], "datatype": "FP32", "parameters": {"binary_data_size": 20}}]})";
  EXPECT_INVALID(parse_binary_request(binary_body(json, {std::string(20, '\0')})),
                 "input 'x': shape [2,3] of FP32 needs 24 bytes but binary_data_size is 20");
}

TEST(InferRequestErrors, BinaryNeedsTheHeaderAndExcludesData) {
  EXPECT_INVALID(parse_json_request(std::string(kBinaryInput)),
                 "input 'x' has binary_data_size but the request has no Inference-Header-Content-Length header");
  const std::string both = R"({"inputs": [{"name": "x", "shape": [1], "datatype": "INT8", "data": [1],
                                           "parameters": {"binary_data_size": 1}}]})";
  EXPECT_INVALID(parse_binary_request(binary_body(both, {"\x01"})), "input 'x' has both data and binary_data_size");
}

TEST(InferRequestErrors, BinaryBytesAndBoolsMustBeWellFormed) {
  auto bytes_input = [](size_t count, const std::string& payload) {
    const std::string json = R"({"inputs": [{"name": "s", "shape": [)" + std::to_string(count) +
                             R"(], "datatype": "BYTES", "parameters": {"binary_data_size": )" +
                             std::to_string(payload.size()) + "}}]}";
    return parse_binary_request(binary_body(json, {payload}));
  };
  EXPECT_TRUE(bytes_input(2, bytes_elements({"ab", "c"})).ok());
  EXPECT_INVALID(bytes_input(2, bytes_elements({"ab"})),
                 "input 's': binary_data_size 6 ends before the length of BYTES element 1 of 2");
  EXPECT_INVALID(bytes_input(1, bytes_elements({"abc"}).substr(0, 5)),
                 "input 's': BYTES element 0 declares 3 bytes but only 1 of binary_data_size 5 remain");
  EXPECT_INVALID(bytes_input(1, bytes_elements({"ab", "c"})),
                 "input 's': binary_data_size 11 has 5 bytes left after the 1 BYTES elements its shape needs");

  const std::string json =
      R"({"inputs": [{"name": "b", "shape": [3], "datatype": "BOOL", "parameters": {"binary_data_size": 3}}]})";
  EXPECT_INVALID(parse_binary_request(binary_body(json, {std::string("\x01\x00\x02", 3)})),
                 "input 'b': BOOL element 2 is 2 in the binary data; BOOL bytes must be 0 or 1");
}

// Bytes that are not JSON after the field found in an input's parameters (a fuzz/ finding): a clean
// INVALID_ARGUMENT. The input was then searched for 'data' from inside its half-read parameters, where simdjson's
// wrap-around search assumes a structure it never checked (undefined behaviour; UBSan stops on it).
TEST(InferRequestErrors, MalformedBytesAfterAParameterAreAnError) {
  const std::string junk("9 \0\0\0\0\0\0\x10", 9);
  auto parsed = parse_json_request(
      R"({"inputs":[{"name":"a","shape":[1],"datatype":"INT64","parameters":{"binary_data_size":)" + junk + "}}]}");
  EXPECT_EQ(testing::status_of(parsed).code(), StatusCode::kInvalidArgument);
}

// A field with no value in an input's parameters (a second fuzz/ finding, past the field-by-field read): the
// structure is read whole before the lookups by name, so this is INVALID_ARGUMENT and no lookup meets it.
TEST(InferRequestErrors, AFieldWithoutAValueIsAnError) {
  auto parsed = parse_json_request(
      R"({"inputs":[{"name":"a","shape":[1],"datatype":"INT64","parameters":{"x": [3], "y":}}}}}} [], "z": 1}]})");
  EXPECT_EQ(testing::status_of(parsed).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace maas::protocol
