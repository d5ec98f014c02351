#include "cli/arguments.h"

#include <gtest/gtest.h>

namespace maas::cli {
namespace {

TEST(ParseKeyValue, SplitsAtTheFirstEquals) {
  auto pair = parse_key_value("query=a=b", "--tag");
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(pair->first, "query");
  EXPECT_EQ(pair->second, "a=b");
  EXPECT_EQ(parse_key_value("empty=", "--tag")->second, "");
}

TEST(ParseKeyValue, RejectsAMissingKeyOrEquals) {
  EXPECT_FALSE(parse_key_value("novalue", "--tag").ok());
  EXPECT_FALSE(parse_key_value("=v", "--tag").ok());
  EXPECT_NE(parse_key_value("x", "--tag").status().message().find("--tag"), std::string::npos);
}

TEST(ParseTags, BuildsTheTagsObjectAndRejectsDuplicates) {
  auto tags = parse_tags({"team=risk", "stage=prod"});
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(tags->at("team"), "risk");
  EXPECT_EQ(tags->size(), 2u);
  EXPECT_FALSE(parse_tags({"team=a", "team=b"}).ok());
}

TEST(ParseMetrics, AcceptsFiniteNumbersOnly) {
  auto metrics = parse_metrics({"auc=0.97", "loss=-1e-3", "n=42"});
  ASSERT_TRUE(metrics.ok());
  EXPECT_DOUBLE_EQ(metrics->at("auc"), 0.97);
  EXPECT_DOUBLE_EQ(metrics->at("loss"), -0.001);
  for (const char* bad : {"auc=", "auc=high", "auc=0.9x", "auc=nan", "auc=inf", "auc=1e999"}) {
    EXPECT_FALSE(parse_metrics({bad}).ok()) << bad;
  }
}

TEST(TagFilterQueryValue, UsesTheApisColonSeparator) {
  EXPECT_EQ(*tag_filter_query_value("team"), "team");
  EXPECT_EQ(*tag_filter_query_value("team=risk"), "team:risk");
  EXPECT_FALSE(tag_filter_query_value("").ok());
  EXPECT_FALSE(tag_filter_query_value("=risk").ok());
}

TEST(ParseVersionTarget, AcceptsModelAndRefOrModelAtRef) {
  auto separate = parse_version_target("iris", std::string("3"));
  ASSERT_TRUE(separate.ok());
  EXPECT_EQ(separate->model, "iris");
  EXPECT_EQ(separate->ref, "3");

  auto joined = parse_version_target("iris@champion", std::nullopt);
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(joined->model, "iris");
  EXPECT_EQ(joined->ref, "champion");
}

TEST(ParseVersionTarget, RejectsAmbiguousOrIncompleteTargets) {
  EXPECT_FALSE(parse_version_target("iris", std::nullopt).ok());
  EXPECT_FALSE(parse_version_target("iris@champion", std::string("2")).ok());
  EXPECT_FALSE(parse_version_target("@champion", std::nullopt).ok());
  EXPECT_FALSE(parse_version_target("iris@", std::nullopt).ok());
}

TEST(ParseOptionalVersionTarget, TakesTheVersionFromTheNameOrTheFlag) {
  auto bare = parse_optional_version_target("iris", std::nullopt);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->model, "iris");
  EXPECT_EQ(bare->ref, "");
  auto joined = parse_optional_version_target("iris@champion", std::nullopt);
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(joined->model, "iris");
  EXPECT_EQ(joined->ref, "champion");
  auto flagged = parse_optional_version_target("iris", std::string("2"));
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(flagged->ref, "2");
}

TEST(ParseOptionalVersionTarget, RejectsBothFormsAndEmptyParts) {
  EXPECT_FALSE(parse_optional_version_target("iris@2", std::string("3")).ok());
  EXPECT_FALSE(parse_optional_version_target("iris@", std::nullopt).ok());
  EXPECT_FALSE(parse_optional_version_target("@2", std::nullopt).ok());
  EXPECT_FALSE(parse_optional_version_target("", std::nullopt).ok());
  EXPECT_FALSE(parse_optional_version_target("iris", std::string("")).ok());
}

TEST(ParsePositiveIntList, ReadsCommaSeparatedPositiveIntegers) {
  EXPECT_EQ(*parse_positive_int_list("4,8,16", "--x"), (std::vector<int>{4, 8, 16}));
  EXPECT_EQ(*parse_positive_int_list("4", "--x"), (std::vector<int>{4}));
  for (const char* bad : {"", ",", "4,", ",4", "4,,8", "0", "-4", "4.5", "four", "4, 8", "99999999999"}) {
    auto parsed = parse_positive_int_list(bad, "--preferred-batch-sizes");
    EXPECT_FALSE(parsed.ok()) << bad;
    if (!parsed.ok()) {
      EXPECT_NE(parsed.status().message().find("--preferred-batch-sizes"), std::string::npos);
    }
  }
}

TEST(ParseVersionArgument, AcceptsPositiveNumbersOnly) {
  EXPECT_EQ(*parse_version_argument("12"), 12);
  EXPECT_FALSE(parse_version_argument("0").ok());
  EXPECT_FALSE(parse_version_argument("-1").ok());
  EXPECT_FALSE(parse_version_argument("champion").ok());
}

}  // namespace
}  // namespace maas::cli
