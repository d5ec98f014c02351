#include "features/timeseries/compute.h"

#include <gtest/gtest.h>

#include <cmath>

namespace maas::features::timeseries {
namespace {

using nlohmann::json;

FeatureSpec spec_of(const json& features, const std::string& entity = "k") {
  json spec = {{"time", "t"}, {"features", features}};
  if (!entity.empty()) spec["entity"] = entity;
  auto parsed = parse_feature_spec(spec, 0);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return *parsed;
}

SeriesTable two_entities() {
  // Rows out of time order, entities interleaved.
  SeriesTable t;
  t.entity = {"b", "a", "a", "b", "a"};
  t.time_us = {2, 3, 1, 1, 2};
  t.columns["y"] = {20, 3, 1, 10, 2};
  return t;
}

TEST(ComputeFeatures, PerEntityInTimeOrderBackInRowOrder) {
  auto out = compute_features(spec_of({{{"name", "l"}, {"kind", "lag"}, {"column", "y"}}}), two_entities(), {});
  ASSERT_TRUE(out.ok()) << out.status().message();
  const auto& lagged = (*out)[0];
  EXPECT_EQ(lagged[0], 10);            // b@2 follows b@1
  EXPECT_EQ(lagged[1], 2);             // a@3 follows a@2
  EXPECT_TRUE(std::isnan(lagged[2]));  // a@1 is a's first
  EXPECT_TRUE(std::isnan(lagged[3]));
  EXPECT_EQ(lagged[4], 1);
}

TEST(ComputeFeatures, ClearErrors) {
  const SeriesTable t = two_entities();
  auto unknown = compute_features(spec_of({{{"name", "l"}, {"kind", "lag"}, {"column", "z"}}}), t, {});
  EXPECT_EQ(unknown.status().message(), "feature 'l': the data has no numeric column 'z'");
  auto wide = compute_features(
      spec_of({{{"name", "m"}, {"kind", "rolling"}, {"column", "y"}, {"window", 4}, {"statistic", "mean"}}}), t, {});
  EXPECT_NE(wide.status().message().find("the window of 4 rows is larger than the data"), std::string::npos);
  auto decomposed = compute_features(
      spec_of({{{"name", "d"}, {"kind", "decompose"}, {"column", "y"}, {"period", 2}, {"component", "trend"}}}), t, {});
  EXPECT_NE(decomposed.status().message().find("for entity 'a'"), std::string::npos);
  SeriesTable empty;
  empty.columns["y"] = {};
  EXPECT_FALSE(compute_features(spec_of({{{"name", "l"}, {"kind", "lag"}, {"column", "y"}}}, ""), empty, {}).ok());
}

TEST(ComputeFeatures, WholeDatasetWithoutEntity) {
  SeriesTable t = two_entities();
  t.entity.clear();
  auto out = compute_features(
      spec_of({{{"name", "s"}, {"kind", "rolling"}, {"column", "y"}, {"window", 2}, {"statistic", "sum"}}}, ""), t, {});
  ASSERT_TRUE(out.ok());
  // Time order: 1(a:1), 1(b:10), 2(b:20), 2(a:2), 3(a:3); stable for equal times.
  EXPECT_TRUE(std::isnan((*out)[0][2]));  // one row: under min_periods (the window)
  EXPECT_EQ((*out)[0][3], 11);
  EXPECT_EQ((*out)[0][0], 30);
  EXPECT_EQ((*out)[0][4], 22);
  EXPECT_EQ((*out)[0][1], 5);
}

}  // namespace
}  // namespace maas::features::timeseries
