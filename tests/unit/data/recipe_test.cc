#include "data/prep/recipe.h"

#include <gtest/gtest.h>

namespace maas::data::prep {
namespace {

using nlohmann::json;

const Schema kSchema = {{"id", "BIGINT"}, {"x", "DOUBLE"}, {"name", "VARCHAR"}, {"day", "DATE"}, {"tags", "VARCHAR[]"}};

Status parse_and_check(const json& steps) {
  auto recipe = recipe_from_json(json{{"steps", steps}});
  if (!recipe.ok()) return recipe.status();
  return check_recipe(*recipe, kSchema).status();
}

TEST(Recipe, ReadsEveryStepWithItsDefaults) {
  auto recipe = recipe_from_json(json::parse(R"({"steps": [
    {"step": "deduplicate", "columns": ["id"]},
    {"step": "drop_missing"},
    {"step": "fill_missing", "column": "x", "strategy": "ffill", "group_by": ["name"], "order_by": "day"},
    {"step": "clip", "column": "x", "method": "iqr"},
    {"step": "clip", "column": "x", "method": "zscore"},
    {"step": "cast", "column": "name", "type": "BIGINT", "on_error": "reject"},
    {"step": "filter", "column": "name", "op": "in", "value": ["a", "b"]}]})"));
  ASSERT_TRUE(recipe.ok()) << recipe.status().message();
  ASSERT_EQ(recipe->steps.size(), 7u);
  EXPECT_EQ(recipe->steps[2].fill, FillStrategy::kForwardFill);
  EXPECT_EQ(recipe->steps[2].order_by, "day");
  EXPECT_DOUBLE_EQ(recipe->steps[3].k, 1.5);
  EXPECT_DOUBLE_EQ(recipe->steps[4].k, 3.0);
  EXPECT_EQ(recipe->steps[5].on_error, CastFailure::kReject);
  // What is recorded reads back as the same recipe.
  auto again = recipe_from_json(recipe_to_json(*recipe));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(recipe_to_json(*again), recipe_to_json(*recipe));
}

TEST(Recipe, TheSchemaFollowsTheSteps) {
  auto recipe = recipe_from_json(json::parse(R"({"steps": [
    {"step": "fill_missing", "column": "id", "strategy": "mean"},
    {"step": "cast", "column": "name", "type": "DOUBLE"},
    {"step": "clip", "column": "name", "method": "zscore", "k": 2}]})"));
  ASSERT_TRUE(recipe.ok());
  auto schema = check_recipe(*recipe, kSchema);
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  EXPECT_EQ((*schema)[0].type, "DOUBLE");
  EXPECT_EQ((*schema)[2].type, "DOUBLE");
}

TEST(Recipe, RefusesMalformedSteps) {
  for (const char* bad :
       {R"({"step": "nope"})", R"({"step": "drop_missing", "column": "x"})",
        R"({"step": "fill_missing", "column": "x"})", R"({"step": "fill_missing", "column": "x", "strategy": "ffill"})",
        R"({"step": "fill_missing", "column": "x", "strategy": "mean", "value": 1})",
        R"({"step": "clip", "column": "x", "method": "quantile", "lower": 0.5})",
        R"({"step": "clip", "column": "x", "method": "iqr", "k": -1})",
        R"({"step": "cast", "column": "x", "type": "INT; DROP"})",
        R"({"step": "filter", "column": "x", "op": "is_null", "value": 1})",
        R"({"step": "filter", "column": "x", "op": "in", "value": []})", R"([1])"}) {
    Status s = parse_and_check(json::array({json::parse(bad)}));
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("step 1"), std::string::npos) << s.message();
  }
  EXPECT_FALSE(recipe_from_json(json{{"steps", json::array()}}).ok());
  EXPECT_FALSE(recipe_from_json(json{{"steps", json::array({json{{"step", "drop_missing"}}})}, {"x", 1}}).ok());
}

TEST(Recipe, ChecksColumnsAndOperandsAgainstTheSchema) {
  EXPECT_NE(parse_and_check(json::parse(R"([{"step": "deduplicate", "columns": ["nope"]}])"))
                .message()
                .find("unknown column 'nope'"),
            std::string::npos);
  EXPECT_FALSE(
      parse_and_check(json::parse(R"([{"step": "fill_missing", "column": "name", "strategy": "mean"}])")).ok());
  EXPECT_FALSE(parse_and_check(
                   json::parse(R"([{"step": "fill_missing", "column": "id", "strategy": "constant", "value": 1.5}])"))
                   .ok());
  EXPECT_TRUE(
      parse_and_check(json::parse(R"([{"step": "fill_missing", "column": "x", "strategy": "constant", "value": 1.5}])"))
          .ok());
  EXPECT_FALSE(parse_and_check(json::parse(R"([{"step": "filter", "column": "name", "op": "<", "value": 3}])")).ok());
  EXPECT_TRUE(
      parse_and_check(json::parse(R"([{"step": "filter", "column": "day", "op": "<", "value": "2024-01-01"}])")).ok());
  EXPECT_FALSE(parse_and_check(json::parse(R"([{"step": "clip", "column": "day", "method": "iqr"}])")).ok());
  // Nested types take no operand: nothing is spliced into a cast to their type.
  EXPECT_FALSE(
      parse_and_check(json::parse(R"([{"step": "filter", "column": "tags", "op": "=", "value": "[1]"}])")).ok());
  EXPECT_TRUE(parse_and_check(json::parse(R"([{"step": "filter", "column": "tags", "op": "is_null"}])")).ok());
  // A later step sees the columns earlier steps changed: name is numeric once cast.
  EXPECT_TRUE(parse_and_check(json::parse(R"([{"step": "cast", "column": "name", "type": "DOUBLE"},
                                              {"step": "clip", "column": "name", "method": "iqr"}])"))
                  .ok());
}

}  // namespace
}  // namespace maas::data::prep
