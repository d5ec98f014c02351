#include "features/online/feature_view.h"

#include <gtest/gtest.h>

namespace maas::features::online {
namespace {

using nlohmann::json;

Status parse(const json& definition) { return parse_feature_view("v", definition, 100, 0).status(); }

json with(json feature) { return {{"entity", "k"}, {"time", "t"}, {"features", json::array({std::move(feature)})}}; }

TEST(FeatureView, ValuesDefaultToTheFeaturesColumnsInOrder) {
  auto view = parse_feature_view("v",
                                 {{"entity", "k"},
                                  {"time", "t"},
                                  {"features",
                                   {{{"name", "a"}, {"kind", "lag"}, {"column", "y"}},
                                    {{"name", "h"}, {"kind", "calendar"}, {"field", "hour"}},
                                    {{"name", "b"}, {"kind", "ewm"}, {"column", "x"}, {"com", 1}},
                                    {{"name", "c"}, {"kind", "diff"}, {"column", "y"}}}}},
                                 100, 0);
  ASSERT_TRUE(view.ok()) << view.status().message();
  EXPECT_EQ(view->values, (std::vector<std::string>{"y", "x"}));
  EXPECT_EQ(view->feature_column, (std::vector<size_t>{0, 0, 1, 0}));
  EXPECT_EQ(view->feature_names(), (std::vector<std::string>{"a", "h", "b", "c"}));
}

TEST(FeatureView, RefusesWhatCannotBeServedOnline) {
  EXPECT_NE(parse(with({{"name", "a"}, {"kind", "acf"}, {"column", "y"}})).message().find("whole series"),
            std::string::npos);
  EXPECT_NE(parse(with({{"name", "a"}, {"kind", "lag"}, {"column", "y"}, {"periods", -1}})).message().find("lead"),
            std::string::npos);
  EXPECT_NE(parse(with({{"name", "a"}, {"kind", "rolling"}, {"column", "y"}, {"window", 101}, {"statistic", "max"}}))
                .message()
                .find("max window"),
            std::string::npos);
  json no_entity = with({{"name", "a"}, {"kind", "lag"}, {"column", "y"}});
  no_entity.erase("entity");
  EXPECT_NE(parse(no_entity).message().find("'entity' is required"), std::string::npos);
  json values = with({{"name", "a"}, {"kind", "lag"}, {"column", "y"}});
  values["values"] = {"x"};
  EXPECT_NE(parse(values).message().find("not one of 'values'"), std::string::npos);
  values["values"] = {"y", 3};
  EXPECT_EQ(parse(values).code(), StatusCode::kInvalidArgument);
  json unknown = with({{"name", "a"}, {"kind", "lag"}, {"column", "y"}});
  unknown["window"] = 3;
  EXPECT_EQ(parse(unknown).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace maas::features::online
