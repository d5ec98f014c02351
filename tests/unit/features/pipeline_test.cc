#include "features/pipeline.h"

#include <gtest/gtest.h>

#include <cmath>

namespace maas::features {
namespace {

using nlohmann::json;

Table sample() {
  Table t;
  t.columns.push_back(Column::of_numbers("x", {1, 2, NAN, 4}));
  t.columns.push_back(Column::of_texts("c", {"a", "b", std::nullopt, "a"}));
  return t;
}

json spec() {
  return json::parse(R"({"transformers": [
      {"name": "num", "columns": ["x"], "steps": [{"step": "SimpleImputer"}, {"step": "StandardScaler"}]},
      {"name": "cat", "columns": ["c"], "steps": [{"step": "OneHotEncoder", "handle_unknown": "ignore"}]}]})");
}

std::string error_of(const json& s) {
  auto p = Pipeline::from_spec(s);
  return p.ok() ? "" : p.status().message();
}

TEST(PipelineSpec, NamesTheFieldThatIsWrong) {
  EXPECT_NE(error_of(json::object()).find("'transformers'"), std::string::npos);
  EXPECT_NE(error_of({{"transformers", json::array()}}).find("'transformers'"), std::string::npos);
  json s = spec();
  s["transformers"][0]["steps"][1]["with_mean"] = 1;
  EXPECT_NE(error_of(s).find("transformers[0].steps[1] (StandardScaler): 'with_mean'"), std::string::npos);
  s = spec();
  s["transformers"][1]["name"] = "num";
  EXPECT_NE(error_of(s).find("used twice"), std::string::npos);
  s = spec();
  s["transformers"][0]["columns"] = json::array();
  EXPECT_NE(error_of(s).find("'columns'"), std::string::npos);
  s = spec();
  s["remainder"] = "keep";
  EXPECT_NE(error_of(s).find("'remainder'"), std::string::npos);
  s = spec();
  s["transformers"][0]["steps"][1] = {{"step", "MinMaxScaler"}, {"feature_range", {1, 1}}};
  EXPECT_NE(error_of(s).find("'feature_range'"), std::string::npos);
  s = spec();
  s["transformers"][0]["steps"][1] = {{"step", "OrdinalEncoder"}, {"unknown_value", -1}};
  EXPECT_NE(error_of(s).find("'unknown_value'"), std::string::npos);
}

TEST(Pipeline, TransformBeforeFitIsAFailedPrecondition) {
  auto p = Pipeline::from_spec(spec());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value().transform(sample()).status().code(), StatusCode::kFailedPrecondition);
}

TEST(Pipeline, ALoadedStateTransformsBitForBitAsTheFittedOne) {
  auto fitted = Pipeline::from_spec(spec());
  ASSERT_TRUE(fitted.ok());
  ASSERT_TRUE(fitted.value().fit(sample()).ok());
  auto loaded = Pipeline::from_spec(spec());
  ASSERT_TRUE(loaded.ok());
  ASSERT_TRUE(loaded.value().load_state(json::parse(fitted.value().state().dump())).ok());
  auto a = fitted.value().transform(sample());
  auto b = loaded.value().transform(sample());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a.value().columns.size(), 4u);  // num__x, cat__c_a, cat__c_b, cat__c_nan
  EXPECT_EQ(loaded.value().output_columns(),
            (std::vector<std::string>{"num__x", "cat__c_a", "cat__c_b", "cat__c_nan"}));
  for (size_t i = 0; i < a.value().columns.size(); ++i) {
    EXPECT_EQ(a.value().columns[i].numbers, b.value().columns[i].numbers) << i;
  }
}

TEST(Pipeline, TransformNamesAMissingColumnAndAChangedType) {
  auto p = Pipeline::from_spec(spec());
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p.value().fit(sample()).ok());
  Table missing = sample();
  missing.columns.pop_back();
  EXPECT_NE(p.value().transform(missing).status().message().find("no column 'c'"), std::string::npos);
  Table retyped = sample();
  retyped.columns[1] = Column::of_numbers("c", {1, 2, 3, 4});
  EXPECT_NE(p.value().transform(retyped).status().message().find("column 'c' holds number"), std::string::npos);
}

TEST(Pipeline, FitRefusesNoRowsAndInfinity) {
  auto p = Pipeline::from_spec(spec());
  ASSERT_TRUE(p.ok());
  Table empty;
  empty.columns.push_back(Column::of_numbers("x", {}));
  empty.columns.push_back(Column::of_texts("c", {}));
  EXPECT_NE(p.value().fit(empty).message().find("no rows"), std::string::npos);
  Table inf = sample();
  inf.columns[0].numbers[1] = INFINITY;
  const Status s = p.value().fit(inf);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("column 'x' holds an infinite value at row 1"), std::string::npos) << s.message();
}

TEST(Pipeline, FitReportsProgressPerStep) {
  auto p = Pipeline::from_spec(spec());
  ASSERT_TRUE(p.ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(p.value()
                  .fit(sample(),
                       [&](size_t i, size_t n, const std::string& name) {
                         seen.push_back(std::to_string(i) + "/" + std::to_string(n) + " " + name);
                       })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"0/3 num", "1/3 num", "2/3 cat"}));
}

TEST(SimpleImputer, AColumnWithNothingToLearnFromIsAnError) {
  auto p = Pipeline::from_spec(
      json::parse(R"({"transformers": [{"name": "i", "columns": ["x"], "steps": [{"step": "SimpleImputer"}]}]})"));
  ASSERT_TRUE(p.ok());
  Table t;
  t.columns.push_back(Column::of_numbers("x", {NAN, NAN}));
  EXPECT_NE(p.value().fit(t).message().find("column 'x' has no values"), std::string::npos);
}

TEST(OrdinalEncoder, AnUnknownValueThatIsACodeIsRefused) {
  auto p = Pipeline::from_spec(json::parse(R"({"transformers": [{"name": "o", "columns": ["c"], "steps": [
      {"step": "OrdinalEncoder", "handle_unknown": "use_encoded_value", "unknown_value": 1}]}]})"));
  ASSERT_TRUE(p.ok());
  EXPECT_NE(p.value().fit(sample()).message().find("unknown_value 1"), std::string::npos);
}

}  // namespace
}  // namespace maas::features
