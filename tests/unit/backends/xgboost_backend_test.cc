// XgboostBackend against xgboost.Booster.predict: bit-for-bit equal probabilities, margins and leaf indices.
#include "backends/xgboost/xgboost_backend.h"

#include <fstream>

#include <gtest/gtest.h>

#include "reference.h"

namespace maas::backends {
namespace {

using testing::bitwise_equal;

runtime::ExecuteRequest request_with(runtime::Tensor input, std::string output_kind = "") {
  runtime::ExecuteRequest request;
  request.inputs.push_back(std::move(input));
  if (!output_kind.empty()) request.parameters["output"] = std::move(output_kind);
  return request;
}

TEST(XgboostBackend, RejectsAFileThatIsNotAModel) {
  auto path = std::filesystem::temp_directory_path() / "maas_backends_not_xgboost.json";
  std::ofstream(path) << "{\"hello\": 1}";
  XgboostBackend backend;
  Status loaded = backend.load(path, {});
  std::filesystem::remove(path);
  EXPECT_EQ(loaded.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(loaded.message().rfind("xgboost: ", 0), 0u) << loaded.message();
}

TEST(XgboostBackend, RejectsRandomBytesBeforeLibxgboostReadsThem) {
  MAAS_REQUIRE_REFERENCE(reference);
  XgboostBackend backend;
  Status loaded = backend.load(reference->model("random.bin"), {});
  EXPECT_EQ(loaded.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(loaded.message().find("not an XGBoost model"), std::string::npos) << loaded.message();
}

// Every model file of reference.json's "xgboost" cases, each in all three encodings.
class XgboostFidelity : public ::testing::TestWithParam<std::pair<std::string, int>> {
 protected:
  void SetUp() override {
    MAAS_REQUIRE_REFERENCE(reference);
    reference_ = reference;
    for (const auto& entry : reference->json().at("xgboost")) {
      if (entry.at("model") == GetParam().first) case_ = entry;
    }
    ASSERT_FALSE(case_.is_null()) << GetParam().first << " is not in reference.json";
    file_ = case_.at("files").at(GetParam().second).get<std::string>();
    Status loaded = backend_.load(reference->model(file_), testing::config_with_threads(2));
    ASSERT_TRUE(loaded.ok()) << loaded.to_string();
  }

  runtime::Tensor input() const { return reference_->tensor(case_.at("input"), "input"); }
  runtime::Tensor expected(const std::string& kind) const {
    return reference_->tensor(case_.at("expected").at(kind), "output");
  }
  runtime::Tensor predict(runtime::ExecuteRequest request) {
    auto result = backend_.execute(request);
    EXPECT_TRUE(result.ok()) << result.status().to_string();
    if (!result.ok()) return {};
    EXPECT_EQ(result->size(), 1u);
    return result->at(0);
  }

  const testing::Reference* reference_ = nullptr;
  nlohmann::json case_;
  std::string file_;
  XgboostBackend backend_;
};

TEST_P(XgboostFidelity, DescribesTheModel) {
  const auto& signature = backend_.signature();
  int64_t num_feature = case_.at("input").at("shape").at(1);
  ASSERT_EQ(signature.inputs.size(), 1u);
  EXPECT_EQ(signature.inputs[0].name, "input");
  EXPECT_EQ(signature.inputs[0].datatype, runtime::DataType::kFp32);
  EXPECT_EQ(signature.inputs[0].shape, (std::vector<int64_t>{-1, num_feature}));
  ASSERT_EQ(signature.outputs.size(), 1u);
  EXPECT_EQ(signature.outputs[0].name, "output");
  auto expected_shape = case_.at("expected").at("probability").at("shape").get<std::vector<int64_t>>();
  expected_shape[0] = -1;
  EXPECT_EQ(signature.outputs[0].shape, expected_shape);
  EXPECT_TRUE(signature.batchable);
}

TEST_P(XgboostFidelity, ProbabilitiesEqualXgboostsBitForBit) {
  EXPECT_TRUE(bitwise_equal(predict(request_with(input())), expected("probability"))) << file_;
  EXPECT_TRUE(bitwise_equal(predict(request_with(input(), "probability")), expected("probability"))) << file_;
}

TEST_P(XgboostFidelity, MarginsEqualXgboostsBitForBit) {
  EXPECT_TRUE(bitwise_equal(predict(request_with(input(), "margin")), expected("margin"))) << file_;
}

TEST_P(XgboostFidelity, LeafIndicesEqualXgboosts) {
  EXPECT_TRUE(bitwise_equal(predict(request_with(input(), "leaf")), expected("leaf"))) << file_;
}

TEST_P(XgboostFidelity, Fp64InputsPredictAsTheirFp32Values) {
  runtime::Tensor fp32 = input();
  std::vector<double> values(fp32.as<float>(), fp32.as<float>() + fp32.element_count());
  runtime::Tensor fp64{"input", runtime::DataType::kFp64, fp32.shape,
                       runtime::Buffer::copy_of(values.data(), values.size() * sizeof(double))};
  EXPECT_TRUE(bitwise_equal(predict(request_with(fp64)), expected("probability"))) << file_;
}

TEST_P(XgboostFidelity, RowsPredictAloneAsInABatch) {
  runtime::Tensor batch = input();
  runtime::Tensor all = expected("probability");
  int64_t num_feature = batch.shape[1];
  int64_t per_row = all.element_count() / all.shape[0];
  for (int64_t row : {0, 5, 31}) {
    runtime::Tensor one{"input", runtime::DataType::kFp32, {1, num_feature},
                        batch.data.slice(row * num_feature * sizeof(float), num_feature * sizeof(float))};
    runtime::Tensor want = all;
    want.shape[0] = 1;
    want.data = all.data.slice(row * per_row * sizeof(float), per_row * sizeof(float));
    EXPECT_TRUE(bitwise_equal(predict(request_with(one)), want)) << file_ << " row " << row;
  }
}

TEST_P(XgboostFidelity, AcceptsAnInputUnderAnotherNameAndAnEmptyBatch) {
  runtime::Tensor renamed = input();
  renamed.name = "input-0";
  EXPECT_TRUE(bitwise_equal(predict(request_with(renamed)), expected("probability")));
  runtime::Tensor empty{"input", runtime::DataType::kFp32, {0, input().shape[1]}, {}};
  EXPECT_EQ(predict(request_with(empty)).element_count(), 0);
}

TEST_P(XgboostFidelity, RejectsAWrongDatatypeNamingTheInput) {
  runtime::Tensor wrong = input();
  wrong.datatype = runtime::DataType::kInt32;
  auto result = backend_.execute(request_with(wrong));
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), "xgboost: input 'input' has datatype INT32; the model takes FP32 or FP64");
}

TEST_P(XgboostFidelity, RejectsAWrongShapeNamingTheInput) {
  runtime::Tensor wrong = input();
  wrong.shape = {wrong.shape[0] * wrong.shape[1] / 2, 2};
  auto result = backend_.execute(request_with(wrong));
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("input 'input' has shape"), std::string::npos)
      << result.status().message();
}

TEST_P(XgboostFidelity, RejectsAnUnknownOutputKindOrName) {
  auto kind = backend_.execute(request_with(input(), "contributions"));
  EXPECT_EQ(kind.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(kind.status().message().find("'contributions'"), std::string::npos);
  auto request = request_with(input());
  request.outputs = {"probabilities"};
  EXPECT_EQ(backend_.execute(request).status().code(), StatusCode::kInvalidArgument);
}

std::string encoding_name(const ::testing::TestParamInfo<std::pair<std::string, int>>& info) {
  static const char* kEncodings[] = {"json", "ubjson", "binary"};
  return info.param.first + "_" + kEncodings[info.param.second];
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, XgboostFidelity,
                         ::testing::Values(std::pair{"xgb_breast_cancer", 0}, std::pair{"xgb_breast_cancer", 1},
                                           std::pair{"xgb_breast_cancer", 2}, std::pair{"xgb_iris", 0},
                                           std::pair{"xgb_iris", 1}, std::pair{"xgb_iris", 2}),
                         encoding_name);

}  // namespace
}  // namespace maas::backends
