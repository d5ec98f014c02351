#include <gtest/gtest.h>

#include "formats/format.h"
#include "test_bytes.h"

namespace maas::formats {
namespace {
using testing::failed_with;
using testing::write_temp;

TEST(MaasGraph, IsDetectedByItsFormatKeyBeforeXgboostJson) {
  EXPECT_EQ(detect_framework(R"({"format": "maas-graph", "nodes": {}})"), Framework::kGraph);
  EXPECT_EQ(detect_framework(" {\n  \"format\" :\"maas-graph\""), Framework::kGraph);
  EXPECT_NE(detect_framework(R"({"nodes": {}, "format": "maas-graph"})"), Framework::kGraph);  // "format" first
  EXPECT_EQ(parse_framework("maas-graph"), Framework::kGraph);
  EXPECT_EQ(framework_name(Framework::kGraph), "maas-graph");
  EXPECT_EQ(framework_names(), "xgboost, onnx, gguf, torchscript, maas-graph");
}

TEST(MaasGraph, KeepsTheDocumentInItsDetails) {
  auto path = write_temp("graph.json", R"({"format": "maas-graph", "nodes": {"a": {}}})");
  auto info = inspect_artifact(path);
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->framework, Framework::kGraph);
  EXPECT_EQ(info->format, "maas-graph");
  EXPECT_TRUE(info->inputs.empty());
  EXPECT_EQ(info->details["graph"]["nodes"].size(), 1u);
}

TEST(MaasGraph, RefusesWhatIsNotAGraphDocument) {
  EXPECT_TRUE(failed_with(inspect_artifact(write_temp("g1.json", R"({"format": "maas-graph", )"), Framework::kGraph),
                          "not valid JSON"));
  EXPECT_TRUE(failed_with(inspect_artifact(write_temp("g2.json", R"([1, 2])"), Framework::kGraph), "JSON object"));
  EXPECT_TRUE(failed_with(inspect_artifact(write_temp("g3.json", R"({"format": "x"})"), Framework::kGraph),
                          "'format' must be"));
  EXPECT_TRUE(
      failed_with(inspect_artifact(write_temp("g4.json", std::string(2 << 20, ' ')), Framework::kGraph), "over 1 MiB"));

  const std::string deep =
      R"({"format": "maas-graph", "description": )" + std::string(500'000, '[') + std::string(500'000, ']') + "}";
  EXPECT_TRUE(failed_with(inspect_artifact(write_temp("g5.json", deep), Framework::kGraph), "nested deeper than"));
}

}  // namespace
}  // namespace maas::formats
