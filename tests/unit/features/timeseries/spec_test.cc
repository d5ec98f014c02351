#include "features/timeseries/spec.h"

#include <gtest/gtest.h>

namespace maas::features::timeseries {
namespace {

using nlohmann::json;

std::string error_of(const json& spec) {
  auto parsed = parse_feature_spec(spec, 10);
  return parsed.ok() ? "" : parsed.status().message();
}

TEST(FeatureSpec, ParsesEachKind) {
  const json spec = {{"entity", "store"},
                     {"time", "ts"},
                     {"features",
                      {{{"name", "l"}, {"kind", "lag"}, {"column", "y"}, {"periods", 2}},
                       {{"name", "r"}, {"kind", "rolling"}, {"column", "y"}, {"window", "1h"}, {"statistic", "mean"}},
                       {{"name", "q"},
                        {"kind", "rolling"},
                        {"column", "y"},
                        {"window", 3},
                        {"statistic", "quantile"},
                        {"quantile", 0.9}},
                       {{"name", "e"}, {"kind", "ewm"}, {"column", "y"}, {"span", 5}, {"statistic", "std"}},
                       {{"name", "c"}, {"kind", "calendar"}, {"field", "hour_sin"}},
                       {{"name", "a"}, {"kind", "acf"}, {"column", "y"}, {"lag", 2}},
                       {{"name", "w"}, {"kind", "dtw"}, {"column", "y"}, {"reference", {1, 2, 3}}, {"band", 1}},
                       {{"name", "t"},
                        {"kind", "decompose"},
                        {"column", "y"},
                        {"period", 7},
                        {"component", "trend"},
                        {"extrapolate_trend", "freq"}}}}};
  auto parsed = parse_feature_spec(spec, 10);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->features[1].window_us, 3'600'000'000LL);
  EXPECT_EQ(parsed->features[1].rolling.min_periods, 1);  // a time window's default
  EXPECT_EQ(parsed->features[2].rolling.min_periods, 3);  // a row window's default
  EXPECT_DOUBLE_EQ(parsed->features[3].ewm_com, 2.0);
  EXPECT_EQ(parsed->features[7].decompose.extrapolate_trend, 6);
}

TEST(FeatureSpec, ErrorsNameTheField) {
  const json base = {{"time", "ts"}, {"features", {{{"name", "r"}, {"kind", "rolling"}, {"column", "y"}}}}};
  EXPECT_EQ(error_of(base), "spec.features[0].window is required");
  json spec = base;
  spec["features"][0]["window"] = "5 parsecs";
  EXPECT_NE(error_of(spec).find("spec.features[0].window must be"), std::string::npos);
  spec["features"][0]["window"] = 3;
  spec["features"][0]["statistic"] = "mode";
  EXPECT_NE(error_of(spec).find("spec.features[0].statistic must be one of"), std::string::npos);
  spec["features"][0]["statistic"] = "mean";
  spec["features"][0]["typo"] = 1;
  EXPECT_NE(error_of(spec).find("typo"), std::string::npos);
  json huge = {{"time", "ts"},
               {"features", {{{"name", "l"}, {"kind", "lag"}, {"column", "y"}, {"periods", -(1LL << 62)}}}}};
  EXPECT_NE(error_of(huge).find("spec.features[0].periods must be an integer from"), std::string::npos);
  EXPECT_NE(error_of({{"features", json::array()}}).find("spec.time"), std::string::npos);
  json twice = {{"time", "ts"},
                {"features",
                 {{{"name", "h"}, {"kind", "calendar"}, {"field", "hour"}},
                  {{"name", "h"}, {"kind", "calendar"}, {"field", "month"}}}}};
  EXPECT_NE(error_of(twice).find("two features"), std::string::npos);
}

TEST(FeatureSpec, Offsets) {
  EXPECT_EQ(*parse_offset("5min"), 300'000'000);
  EXPECT_EQ(*parse_offset("7d"), 604'800'000'000);
  EXPECT_EQ(*parse_offset("250ms"), 250'000);
  EXPECT_FALSE(parse_offset("h").ok());
  EXPECT_FALSE(parse_offset("0s").ok());
  EXPECT_FALSE(parse_offset("3 days").ok());
  EXPECT_FALSE(parse_offset("999999999999w").ok());  // would overflow microseconds
}

}  // namespace
}  // namespace maas::features::timeseries
