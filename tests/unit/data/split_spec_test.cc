#include <gtest/gtest.h>

#include "data/prep/split.h"

namespace maas::data::prep {
namespace {

using nlohmann::json;

TEST(SplitSpec, ReadsFractionsSeedAndColumn) {
  auto spec = split_spec_from_json(json::parse(
      R"({"method": "stratified", "column": "label", "seed": 9, "fractions": {"train": 0.7, "validation": 0.2, "test": 0.1}})"));
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->method, SplitMethod::kStratified);
  EXPECT_EQ(spec->seed, 9);
  EXPECT_EQ(spec->split_column, "split");
  auto again = split_spec_from_json(split_spec_to_json(*spec));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(split_spec_to_json(*again), split_spec_to_json(*spec));
}

TEST(SplitSpec, RefusesBadFractionsAndMethods) {
  for (const char* bad : {R"({"method": "random", "fractions": {"train": 0.5, "test": 0.4}})",
                          R"({"method": "random", "fractions": {"test": 1.0}})",
                          R"({"method": "random", "fractions": {"train": 1.0}, "column": "x"})",
                          R"({"method": "time", "fractions": {"train": 1.0}})",
                          R"({"method": "random", "fractions": {"train": 1.0}, "seed": 1.5})",
                          R"({"method": "random", "fractions": [1]})", R"({"fractions": {"train": 1.0}})"}) {
    EXPECT_EQ(split_spec_from_json(json::parse(bad)).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(SplitSpec, ChecksColumnsAgainstTheSchema) {
  const Schema schema = {{"id", "BIGINT"}, {"split", "VARCHAR"}};
  auto spec = split_spec_from_json(json::parse(R"({"method": "grouped", "column": "id", "fractions": {"train": 1}})"));
  ASSERT_TRUE(spec.ok());
  EXPECT_FALSE(check_split(*spec, schema).ok());  // 'split' is taken
  spec->split_column = "part";
  EXPECT_TRUE(check_split(*spec, schema).ok());
  spec->column = "nope";
  EXPECT_FALSE(check_split(*spec, schema).ok());
}

}  // namespace
}  // namespace maas::data::prep
