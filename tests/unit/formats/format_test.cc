#include "formats/format.h"

#include <gtest/gtest.h>

#include "test_bytes.h"

namespace maas::formats {
namespace {

using testing::failed_with;
using testing::write_temp;

TEST(Framework, NamesRoundTrip) {
  for (auto framework : {Framework::kXgboost, Framework::kOnnx, Framework::kGguf, Framework::kTorchscript}) {
    EXPECT_EQ(parse_framework(framework_name(framework)), framework);
  }
  EXPECT_EQ(framework_name(Framework::kTorchscript), "torchscript");
  EXPECT_EQ(parse_framework("pytorch"), std::nullopt);
  EXPECT_EQ(parse_framework("ONNX"), std::nullopt);
}

TEST(DetectFramework, RecognisesEachFormatFromItsFirstBytes) {
  using namespace std::string_literals;
  EXPECT_EQ(detect_framework("GGUF\x03\x00\x00\x00"s), Framework::kGguf);
  EXPECT_EQ(detect_framework("PK\x03\x04\x00\x00"s), Framework::kTorchscript);
  EXPECT_EQ(detect_framework("{\"learner\":{}}"), Framework::kXgboost);
  EXPECT_EQ(detect_framework("  {\n  \"learner\""), Framework::kXgboost);
  EXPECT_EQ(detect_framework("{L\x00\x00\x00\x00\x00\x00\x00\x07learner"s), Framework::kXgboost);
  EXPECT_EQ(detect_framework("binf\x00\x00\x00\x3f"s), Framework::kXgboost);
  EXPECT_EQ(detect_framework("\x08\x07\x12\x07pytorch"s), Framework::kOnnx);
}

TEST(DetectFramework, ReturnsNulloptForAnythingElse) {
  using namespace std::string_literals;
  EXPECT_EQ(detect_framework(""), std::nullopt);
  EXPECT_EQ(detect_framework("hello world"), std::nullopt);
  EXPECT_EQ(detect_framework("{x"), std::nullopt);
  EXPECT_EQ(detect_framework("PK\x05\x06"s), std::nullopt);  // an empty zip has no local header
  EXPECT_EQ(detect_framework("\x08\x00"s), std::nullopt);
  EXPECT_EQ(detect_framework("\x80\x02}q\x00"s), std::nullopt);  // a pickle
}

TEST(InspectArtifact, WithoutAFrameworkNamesTheChoicesWhenNothingMatches) {
  auto path = write_temp("unknown.bin", "definitely not a model");
  EXPECT_TRUE(
      failed_with(inspect_artifact(path),
                  "could not detect the model format; pass framework= one of xgboost, onnx, gguf, torchscript"));
}

TEST(InspectArtifact, ReportsMissingFilesAsNotFound) {
  EXPECT_TRUE(failed_with(inspect_artifact("/nonexistent/m.onnx"), "cannot open", StatusCode::kNotFound));
  EXPECT_TRUE(
      failed_with(inspect_artifact("/nonexistent/m.onnx", Framework::kOnnx), "cannot open", StatusCode::kNotFound));
}

TEST(InspectArtifact, WithTheWrongFrameworkSaysWhatIsWrong) {
  auto path = write_temp("wrong.gguf", std::string("GGUF\x03\x00\x00\x00", 8) + std::string(16, '\0'));
  EXPECT_TRUE(failed_with(inspect_artifact(path, Framework::kTorchscript), "torchscript: not a zip archive"));
  EXPECT_TRUE(failed_with(inspect_artifact(path, Framework::kXgboost), "xgboost: not an XGBoost model"));
  EXPECT_TRUE(failed_with(inspect_artifact(path, Framework::kOnnx), "onnx: "));
}

TEST(InspectArtifact, EmptyFileIsRejectedByEveryFramework) {
  auto path = write_temp("empty", "");
  EXPECT_TRUE(failed_with(inspect_artifact(path), "could not detect"));
  for (auto framework : {Framework::kXgboost, Framework::kOnnx, Framework::kGguf, Framework::kTorchscript}) {
    EXPECT_FALSE(inspect_artifact(path, framework).ok()) << framework_name(framework);
  }
}

TEST(SignatureJson, HasFormatInputsOutputsAndDetails) {
  ArtifactInfo info;
  info.framework = Framework::kOnnx;
  info.format = "onnx";
  info.inputs.push_back({"x", "FP32", {-1, 4}});
  info.outputs.push_back({"y", "INT64", {-1}});
  info.details["ir_version"] = 7;
  auto json = signature_json(info);
  EXPECT_EQ(json, nlohmann::json::parse(R"({
    "format": "onnx",
    "inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 4]}],
    "outputs": [{"name": "y", "datatype": "INT64", "shape": [-1]}],
    "details": {"ir_version": 7}
  })"));
  EXPECT_TRUE(signature_json(ArtifactInfo{}).at("inputs").is_array());
  EXPECT_TRUE(signature_json(ArtifactInfo{}).at("details").is_object());
}

// Found by fuzz/format_*: a tensor name or metadata string that is not UTF-8 made the signature's dump() throw.
TEST(SignatureJson, StringsThatAreNotUtf8BecomeValidUtf8) {
  ArtifactInfo info;
  info.format = "gguf";
  info.inputs.push_back({"in\x9a", "FP32", {1}});
  info.outputs.push_back({"out\xff", "FP32", {1}});
  info.details["architecture"] = "ll\x95ma";
  info.details["metadata"] = {{"k\x81", nlohmann::json::array({"v\xc0"})}};
  std::string out;
  ASSERT_NO_THROW(out = signature_json(info).dump());
  auto json = nlohmann::json::parse(out);
  EXPECT_EQ(json["inputs"][0]["name"], "in\xef\xbf\xbd");
  EXPECT_EQ(json["details"]["architecture"], "ll\xef\xbf\xbdma");
  EXPECT_EQ(json["details"]["metadata"]["k\xef\xbf\xbd"][0], "v\xef\xbf\xbd");
}

}  // namespace
}  // namespace maas::formats
