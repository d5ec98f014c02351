// OnnxBackend against the PyTorch modules the graphs were exported from, and its load-time rejections.
#include "backends/onnx/onnx_backend.h"

#include <fstream>
#include <iostream>

#include <gtest/gtest.h>

#include "reference.h"

namespace maas::backends {
namespace {

using testing::max_abs_difference;

constexpr double kTolerance = 1e-5;

TEST(OnnxBackend, RejectsAFileThatIsNotOnnx) {
  auto path = std::filesystem::temp_directory_path() / "maas_backends_not_onnx.onnx";
  std::ofstream(path) << "definitely not a protobuf";
  OnnxBackend backend;
  Status loaded = backend.load(path, {});
  std::filesystem::remove(path);
  EXPECT_EQ(loaded.code(), StatusCode::kInvalidArgument) << loaded.to_string();
  EXPECT_EQ(loaded.message().rfind("onnx: ", 0), 0u) << loaded.message();
}

TEST(OnnxBackend, RejectsAnUnsupportedOperatorNamingIt) {
  MAAS_REQUIRE_REFERENCE(reference);
  const auto& unsupported = reference->json().at("unsupported_onnx");
  OnnxBackend backend;
  Status loaded = backend.load(reference->model(unsupported.at("file")), {});
  EXPECT_EQ(loaded.code(), StatusCode::kInvalidArgument);
  std::string op = unsupported.at("operator");
  EXPECT_NE(loaded.message().find("onnx: operator '" + op + "' is not supported by the OpenCV DNN backend"),
            std::string::npos)
      << loaded.message();
}

TEST(OnnxBackend, RejectsAnUnknownOpset) {
  MAAS_REQUIRE_REFERENCE(reference);
  OnnxBackend backend;
  Status loaded = backend.load(reference->model("opset9999.onnx"), {});
  EXPECT_EQ(loaded.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(loaded.message().find("opset version 9999"), std::string::npos) << loaded.message();
}

// The MLP and CNN of reference.json's "torch" cases, exported to ONNX at opset 13.
class OnnxFidelity : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    MAAS_REQUIRE_REFERENCE(reference);
    reference_ = reference;
    for (const auto& entry : reference->json().at("torch")) {
      if (entry.at("model") == GetParam()) case_ = entry;
    }
    ASSERT_FALSE(case_.is_null()) << GetParam() << " is not in reference.json";
    Status loaded = backend_.load(reference->model(GetParam() + ".onnx"), testing::config_with_threads(2));
    ASSERT_TRUE(loaded.ok()) << loaded.to_string();
  }

  const nlohmann::json& input_entry() const { return case_.at("inputs").at(0); }
  runtime::Tensor input() const { return reference_->tensor(input_entry(), input_entry().at("name")); }
  runtime::Tensor expected() const {
    const auto& output = case_.at("outputs").at(0);
    return reference_->tensor(output, output.at("onnx_name"));
  }
  runtime::ExecuteRequest request_with(runtime::Tensor tensor) const {
    runtime::ExecuteRequest request;
    request.inputs.push_back(std::move(tensor));
    return request;
  }

  const testing::Reference* reference_ = nullptr;
  nlohmann::json case_;
  OnnxBackend backend_;
};

TEST_P(OnnxFidelity, ReadsTheSignatureFromTheFile) {
  const auto& signature = backend_.signature();
  ASSERT_EQ(signature.inputs.size(), 1u);
  EXPECT_EQ(signature.inputs[0].name, input_entry().at("name"));
  EXPECT_EQ(signature.inputs[0].datatype, runtime::DataType::kFp32);
  auto shape = input_entry().at("shape").get<std::vector<int64_t>>();
  shape[0] = -1;
  EXPECT_EQ(signature.inputs[0].shape, shape);
  ASSERT_EQ(signature.outputs.size(), 1u);
  EXPECT_EQ(signature.outputs[0].name, "logits");
  EXPECT_TRUE(signature.batchable);
}

TEST_P(OnnxFidelity, OutputsMatchTorchWithinTolerance) {
  auto request = request_with(input());
  request.outputs = {"logits"};
  auto result = backend_.execute(request);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  ASSERT_EQ(result->size(), 1u);
  EXPECT_EQ(result->at(0).name, "logits");
  EXPECT_EQ(result->at(0).shape, expected().shape);
  double difference = max_abs_difference(result->at(0), expected());
  std::cout << "[ measured ] onnx " << GetParam() << " max |opencv - torch| = " << difference << "\n";
  EXPECT_LE(difference, kTolerance);
}

TEST_P(OnnxFidelity, BatchSizeMayChangeBetweenCalls) {
  runtime::Tensor all = input();
  runtime::Tensor want = expected();
  size_t in_row = all.data.size() / all.shape[0];
  size_t out_row = want.data.size() / want.shape[0];
  for (int64_t rows : std::vector<int64_t>{1, 2, all.shape[0]}) {
    runtime::Tensor part = all;
    part.shape[0] = rows;
    part.data = all.data.slice(0, rows * in_row);
    runtime::Tensor part_want = want;
    part_want.shape[0] = rows;
    part_want.data = want.data.slice(0, rows * out_row);
    auto result = backend_.execute(request_with(part));
    ASSERT_TRUE(result.ok()) << result.status().to_string();
    EXPECT_LE(max_abs_difference(result->at(0), part_want), kTolerance) << rows << " rows";
  }
}

TEST_P(OnnxFidelity, RejectsAWrongDatatypeNamingTheInput) {
  runtime::Tensor wrong = input();
  wrong.datatype = runtime::DataType::kInt32;
  auto result = backend_.execute(request_with(wrong));
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  std::string name = input_entry().at("name");
  EXPECT_EQ(result.status().message(), "onnx: input '" + name + "' has datatype INT32; the model takes FP32");
}

TEST_P(OnnxFidelity, RejectsAWrongShapeNamingTheInput) {
  runtime::Tensor wrong = input();
  wrong.shape.back() *= 2;
  wrong.shape[0] /= 2;
  if (wrong.shape[0] == 0) GTEST_SKIP();
  wrong.data = wrong.data.slice(0, wrong.element_count() * sizeof(float));
  auto result = backend_.execute(request_with(wrong));
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  std::string name = input_entry().at("name");
  EXPECT_NE(result.status().message().find("input '" + name + "' has shape"), std::string::npos)
      << result.status().message();
}

INSTANTIATE_TEST_SUITE_P(Models, OnnxFidelity, ::testing::Values("mlp", "cnn"));

}  // namespace
}  // namespace maas::backends
