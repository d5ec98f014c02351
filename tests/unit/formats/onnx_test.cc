#include <gtest/gtest.h>

#include "formats/format.h"
#include "test_bytes.h"

namespace maas::formats {
namespace {

using testing::failed_with;
using testing::write_temp;
namespace pb = testing::pb;

constexpr int kFloat = 1, kInt64 = 7, kString = 8, kBool = 9, kFloat16 = 10, kDouble = 11, kBfloat16 = 16, kFloat8 = 17;

// Hand-encoded ONNX messages (field numbers from onnx.proto).
std::string dim_value(int64_t size) { return pb::field_bytes(1, pb::field_varint(1, static_cast<uint64_t>(size))); }
std::string dim_param(std::string_view name) { return pb::field_bytes(1, pb::field_bytes(2, name)); }
std::string dim_unknown() { return pb::field_bytes(1, ""); }
std::string tensor_type(int elem_type, const std::string& dims) {
  return pb::field_bytes(1, pb::field_varint(1, elem_type) + pb::field_bytes(2, dims));
}
std::string value_info(std::string_view name, const std::string& type) {
  return pb::field_bytes(1, name) + (type.empty() ? "" : pb::field_bytes(2, type));
}
std::string node(std::string_view op_type, std::string_view domain = "") {
  std::string out = pb::field_bytes(1, "in") + pb::field_bytes(2, "out") + pb::field_bytes(4, op_type);
  // An attribute holding a tensor, which the inspector must skip without reading.
  out += pb::field_bytes(5, pb::field_bytes(1, "value") + pb::field_bytes(5, pb::field_bytes(9, std::string(64, 'w'))));
  if (!domain.empty()) out += pb::field_bytes(7, domain);
  return out;
}
std::string initializer(std::string_view name) {
  return pb::field_varint(1, 4) + pb::field_varint(2, kFloat) + pb::field_bytes(8, name) +
         pb::field_bytes(9, std::string(16, '\0'));
}
std::string opset(std::string_view domain, int64_t version) {
  return (domain.empty() ? "" : pb::field_bytes(1, domain)) + pb::field_varint(2, static_cast<uint64_t>(version));
}

struct OnnxModel {
  int64_t ir_version = 8;
  std::vector<std::string> graph_fields;
  std::vector<std::string> opsets = {opset("", 17)};
  bool with_graph = true;

  OnnxModel& graph(uint32_t field, const std::string& payload) {
    graph_fields.push_back(pb::field_bytes(field, payload));
    return *this;
  }
  std::string build() const {
    std::string graph;
    for (const auto& f : graph_fields) graph += f;
    std::string out = ir_version ? pb::field_varint(1, static_cast<uint64_t>(ir_version)) : "";
    out += pb::field_bytes(2, "test-exporter") + pb::field_bytes(3, "0.1");
    if (with_graph) out += pb::field_bytes(7, graph);
    for (const auto& o : opsets) out += pb::field_bytes(8, o);
    return out;
  }
};

OnnxModel classifier() {
  OnnxModel m;
  m.graph(1, node("Gemm")).graph(1, node("Relu")).graph(1, node("Gemm")).graph(1, node("Softmax"));
  m.graph(2, "classifier");
  m.graph(5, initializer("W")).graph(5, initializer("B"));
  m.graph(11, value_info("features", tensor_type(kFloat, dim_param("batch") + dim_value(4))));
  // IR < 4 exporters also list initializers as inputs; they are not fed by clients.
  m.graph(11, value_info("W", tensor_type(kFloat, dim_value(4) + dim_value(3))));
  m.graph(11, value_info("mask", tensor_type(kBool, dim_unknown() + dim_value(3))));
  m.graph(12, value_info("probabilities", tensor_type(kFloat, dim_param("batch") + dim_value(3))));
  m.graph(12, value_info("label", tensor_type(kInt64, dim_param("batch"))));
  return m;
}

Result<ArtifactInfo> inspect(std::string_view name, const std::string& bytes) {
  return inspect_artifact(write_temp(name, bytes), Framework::kOnnx);
}

TEST(Onnx, DescribesInputsOutputsAndGraph) {
  auto info = inspect_artifact(write_temp("classifier.onnx", classifier().build()));  // detected
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->framework, Framework::kOnnx);
  EXPECT_EQ(info->format, "onnx");
  ASSERT_EQ(info->inputs.size(), 2u);
  EXPECT_EQ(info->inputs[0].name, "features");
  EXPECT_EQ(info->inputs[0].datatype, "FP32");
  EXPECT_EQ(info->inputs[0].shape, (std::vector<int64_t>{-1, 4}));
  EXPECT_EQ(info->inputs[1].name, "mask");
  EXPECT_EQ(info->inputs[1].datatype, "BOOL");
  EXPECT_EQ(info->inputs[1].shape, (std::vector<int64_t>{-1, 3}));
  ASSERT_EQ(info->outputs.size(), 2u);
  EXPECT_EQ(info->outputs[1].name, "label");
  EXPECT_EQ(info->outputs[1].datatype, "INT64");
  EXPECT_EQ(info->details, nlohmann::json::parse(R"({
    "ir_version": 8, "producer_name": "test-exporter", "producer_version": "0.1", "graph_name": "classifier",
    "opsets": {"ai.onnx": 17}, "operators": ["Gemm", "Relu", "Softmax"], "node_count": 4, "initializer_count": 2
  })"));
}

TEST(Onnx, MapsElementTypesToOpenInferenceProtocolNames) {
  OnnxModel m;
  m.graph(1, node("Identity"));
  for (int type : {kFloat, kInt64, kString, kBool, kFloat16, kDouble, kBfloat16, kFloat8}) {
    m.graph(11, value_info("in" + std::to_string(type), tensor_type(type, dim_value(1))));
  }
  auto info = inspect("types.onnx", m.build());
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  std::vector<std::string> datatypes;
  for (const auto& input : info->inputs) datatypes.push_back(input.datatype);
  EXPECT_EQ(datatypes, (std::vector<std::string>{"FP32", "INT64", "BYTES", "BOOL", "FP16", "FP64", "BF16", ""}));
}

TEST(Onnx, AcceptsTheMlDomainAndNonTensorOutputs) {
  OnnxModel m;
  m.opsets = {opset("ai.onnx", 13), opset("ai.onnx.ml", 3)};
  m.graph(1, node("LinearClassifier", "ai.onnx.ml")).graph(1, node("ZipMap", "ai.onnx.ml"));
  m.graph(11, value_info("x", tensor_type(kFloat, dim_param("N") + dim_value(4))));
  // seq(map(int64, float)), as skl2onnx classifiers output probabilities.
  m.graph(12, value_info("probabilities", pb::field_bytes(4, pb::field_bytes(1, pb::field_bytes(5, "")))));
  auto info = inspect("ml.onnx", m.build());
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->details["opsets"], nlohmann::json::parse(R"({"ai.onnx": 13, "ai.onnx.ml": 3})"));
  ASSERT_EQ(info->outputs.size(), 1u);
  EXPECT_EQ(info->outputs[0].datatype, "");
  EXPECT_TRUE(info->outputs[0].shape.empty());
}

TEST(Onnx, RejectsBytesThatAreNotProtobuf) {
  std::string garbage = pb::field_varint(1, 7) + pb::varint(7 << 3 | 2) + pb::varint(5000) + "short";
  EXPECT_TRUE(failed_with(inspect("garbage.onnx", garbage),
                          "onnx: not a valid ONNX protobuf: field 7 at byte 2 claims 5000 bytes"));
  EXPECT_TRUE(failed_with(inspect("text.onnx", "\x08\x07 hello, this is text"), "onnx: not a valid ONNX protobuf"));
}

TEST(Onnx, RejectsAModelWithoutGraphOrIrVersion) {
  OnnxModel no_graph;
  no_graph.with_graph = false;
  EXPECT_TRUE(
      failed_with(inspect("nograph.onnx", no_graph.build()), "onnx: the model has no graph (ModelProto field 7)"));
  OnnxModel no_ir = classifier();
  no_ir.ir_version = 0;
  EXPECT_TRUE(failed_with(inspect("noir.onnx", no_ir.build()), "the model has no ir_version"));
}

TEST(Onnx, RejectsUnsupportedOpsets) {
  auto with_opsets = [](std::vector<std::string> opsets) {
    OnnxModel m = classifier();
    m.opsets = std::move(opsets);
    return m.build();
  };
  EXPECT_TRUE(failed_with(inspect("noopset.onnx", with_opsets({})), "imports no opset for the default domain"));
  EXPECT_TRUE(failed_with(inspect("mlonly.onnx", with_opsets({opset("ai.onnx.ml", 2)})),
                          "imports no opset for the default domain"));
  EXPECT_TRUE(failed_with(inspect("opset0.onnx", with_opsets({opset("", 0)})),
                          "opset version 0 of domain 'ai.onnx' is not supported (supported: 1 to 23)"));
  EXPECT_TRUE(failed_with(inspect("opset24.onnx", with_opsets({opset("ai.onnx", 24)})), "opset version 24"));
  EXPECT_TRUE(failed_with(inspect("ml6.onnx", with_opsets({opset("", 13), opset("ai.onnx.ml", 6)})),
                          "opset version 6 of domain 'ai.onnx.ml' is not supported (supported: 1 to 5)"));
  EXPECT_TRUE(failed_with(inspect("custom.onnx", with_opsets({opset("", 13), opset("com.microsoft", 1)})),
                          "unknown operator set domain 'com.microsoft'"));
  EXPECT_TRUE(failed_with(inspect("twice.onnx", with_opsets({opset("", 13), opset("ai.onnx", 14)})), "imported twice"));
}

TEST(Onnx, RejectsBadGraphInputs) {
  OnnxModel unknown_type;
  unknown_type.graph(11, value_info("x", tensor_type(99, dim_value(1))));
  EXPECT_TRUE(
      failed_with(inspect("elem99.onnx", unknown_type.build()), "graph input #0 'x' has unknown element type 99"));
  OnnxModel undefined;
  undefined.graph(11, value_info("x", tensor_type(0, dim_value(1))));
  EXPECT_TRUE(failed_with(inspect("elem0.onnx", undefined.build()), "unknown element type 0"));
  OnnxModel untyped;
  untyped.graph(12, value_info("y", ""));
  EXPECT_TRUE(failed_with(inspect("untyped.onnx", untyped.build()), "graph output #0 'y' has no type"));
  OnnxModel unnamed;
  unnamed.graph(11, value_info("", tensor_type(kFloat, dim_value(1))));
  EXPECT_TRUE(failed_with(inspect("unnamed.onnx", unnamed.build()), "graph input #0 has no name"));
  OnnxModel negative;
  negative.graph(11, value_info("x", tensor_type(kFloat, dim_value(-3))));
  EXPECT_TRUE(failed_with(inspect("negative.onnx", negative.build()), "dimension 0 has negative size -3"));
  OnnxModel wrong_wire;
  wrong_wire.graph_fields.push_back(pb::field_varint(11, 5));
  EXPECT_TRUE(failed_with(inspect("wire.onnx", wrong_wire.build()), "is encoded as varint, expected length-delimited"));
}

}  // namespace
}  // namespace maas::formats
