#include "hpo/search_space.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "hpo/pruner.h"
#include "hpo/sampler.h"

namespace maas::hpo {
namespace {

SearchSpace parse_ok(const char* text) {
  auto space = SearchSpace::parse(nlohmann::json::parse(text));
  EXPECT_TRUE(space.ok()) << space.status().to_string();
  return std::move(space).value();
}

std::string parse_error(const char* text) {
  auto space = SearchSpace::parse(nlohmann::json::parse(text));
  EXPECT_FALSE(space.ok()) << text;
  return space.ok() ? "" : space.status().message();
}

TEST(SearchSpace, OrdersParentsBeforeChildrenAndRoundTrips) {
  const auto space = parse_ok(R"({
    "a_lr": {"type": "float", "low": 1e-5, "high": 1, "log": true, "condition": {"param": "z_kind", "in": ["nn"]}},
    "depth": {"type": "int", "low": 2, "high": 10, "step": 2},
    "z_kind": {"type": "categorical", "choices": ["nn", "tree"]}})");
  ASSERT_EQ(space.params().size(), 3u);
  EXPECT_EQ(space.params()[0].name, "depth");
  EXPECT_EQ(space.params()[1].name, "z_kind");
  EXPECT_EQ(space.params()[2].name, "a_lr");
  const auto again = SearchSpace::parse(space.to_json());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->to_json(), space.to_json());
}

TEST(SearchSpace, RefusesBadSpecsNamingTheField) {
  EXPECT_NE(parse_error(R"({"x": {"type": "float", "low": 2, "high": 1}})").find("above high"), std::string::npos);
  EXPECT_NE(parse_error(R"({"x": {"type": "float", "low": 0, "high": 1, "log": true}})").find("low > 0"),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"x": {"type": "int", "low": 0.5, "high": 3}})").find("integers"), std::string::npos);
  EXPECT_NE(parse_error(R"({"x": {"type": "int", "low": 0, "high": 5, "step": 2}})").find("divide"), std::string::npos);
  EXPECT_NE(parse_error(R"({"x": {"type": "categorical", "choices": [1, 1]}})").find("twice"), std::string::npos);
  EXPECT_NE(parse_error(R"({"x": {"type": "float", "low": 0, "high": 1, "lo": 3}})").find("space.x.lo"),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"x": {"type": "vector"}})").find("\"vector\""), std::string::npos);
  EXPECT_NE(parse_error(R"({"x": {"type": "float", "low": 0, "high": 1, "condition": {"param": "y", "in": [1]}},
                           "y": {"type": "float", "low": 0, "high": 1}})")
                .find("must be categorical"),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"x": {"type": "categorical", "choices": [1], "condition": {"param": "y", "in": [1]}},
                           "y": {"type": "categorical", "choices": [1], "condition": {"param": "x", "in": [1]}}})")
                .find("cycle"),
            std::string::npos);
  EXPECT_NE(parse_error("{}").find("at least one"), std::string::npos);
}

TEST(SearchSpace, ChecksParamsAgainstTheSpace) {
  const auto space = parse_ok(R"({
    "c": {"type": "categorical", "choices": ["a", "b"]},
    "n": {"type": "int", "low": 1, "high": 9, "step": 2},
    "x": {"type": "float", "low": 0, "high": 1, "step": 0.25, "condition": {"param": "c", "in": ["a"]}}})");
  EXPECT_TRUE(space.check(nlohmann::json{{"c", "a"}, {"n", 3}, {"x", 0.75}}).ok());
  EXPECT_TRUE(space.check(nlohmann::json{{"c", "b"}, {"n", 9}}).ok());
  EXPECT_FALSE(space.check(nlohmann::json{{"c", "b"}, {"n", 9}, {"x", 0.5}}).ok());  // inactive
  EXPECT_FALSE(space.check(nlohmann::json{{"c", "a"}, {"n", 9}}).ok());              // missing
  EXPECT_FALSE(space.check(nlohmann::json{{"c", "a"}, {"n", 4}, {"x", 0.5}}).ok());  // off the step
  EXPECT_FALSE(space.check(nlohmann::json{{"c", "a"}, {"n", 3}, {"x", 0.3}}).ok());  // off the step
  EXPECT_FALSE(space.check(nlohmann::json{{"c", "d"}, {"n", 3}}).ok());              // not a choice
  EXPECT_FALSE(space.check(nlohmann::json{{"c", "b"}, {"n", 3}, {"q", 1}}).ok());    // unknown
}

TEST(SearchSpace, InternalFormRoundTripsAndSnaps) {
  const auto space = parse_ok(R"({"lr": {"type": "float", "low": 0.001, "high": 10, "log": true},
                                  "n": {"type": "int", "low": 1, "high": 1000, "log": true}})");
  const auto& lr = *space.find("lr");
  EXPECT_DOUBLE_EQ(lr.internal_low(), std::log(0.001));
  EXPECT_NEAR(lr.from_internal(lr.to_internal(0.5)).get<double>(), 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(lr.from_internal(100.0).get<double>(), 10.0);  // clamped
  const auto& n = *space.find("n");
  EXPECT_EQ(n.from_internal(std::log(41.4)).get<int64_t>(), 41);
  EXPECT_FALSE(n.grid_values(100).has_value());
  EXPECT_EQ(n.grid_values(1000)->size(), 1000u);
}

TEST(RandomSampler, StaysInsideTheSpaceAndIsAPureFunctionOfSeedAndNumber) {
  const auto space = parse_ok(R"({
    "c": {"type": "categorical", "choices": ["a", "b", null, 3]},
    "n": {"type": "int", "low": 1, "high": 100, "log": true},
    "s": {"type": "float", "low": -1, "high": 1, "step": 0.5},
    "x": {"type": "float", "low": 1e-4, "high": 1, "log": true, "condition": {"param": "c", "in": ["a", 3]}}})");
  const std::vector<Direction> directions = {Direction::kMinimize};
  const StudyView study{&space, directions, {}};
  auto sampler = make_sampler(nlohmann::json{{"name", "random"}, {"seed", 3}}, space, 1);
  ASSERT_TRUE(sampler.ok());
  std::set<std::string> seen_c;
  std::set<double> seen_s;
  for (int64_t number = 0; number < 400; ++number) {
    auto params = (*sampler)->sample(study, number);
    ASSERT_TRUE(params.ok());
    ASSERT_TRUE(space.check(*params).ok()) << params->dump() << ": " << space.check(*params).message();
    EXPECT_EQ(*params, *(*sampler)->sample(study, number));
    seen_c.insert(params->at("c").dump());
    seen_s.insert(params->at("s").get<double>());
  }
  EXPECT_EQ(seen_c.size(), 4u);
  EXPECT_EQ(seen_s.size(), 5u);
  auto other = make_sampler(nlohmann::json{{"name", "random"}, {"seed", 4}}, space, 1);
  EXPECT_NE(*(*other)->sample(study, 0), *(*sampler)->sample(study, 0));
}

TEST(Registries, RefuseUnknownNamesListingTheKnownOnes) {
  const auto space = parse_ok(R"({"x": {"type": "float", "low": 0, "high": 1}})");
  const auto bad = make_sampler(nlohmann::json{{"name", "magic"}}, space, 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("random"), std::string::npos);
  EXPECT_FALSE(make_sampler(nlohmann::json{{"name", "random"}, {"seeds", 1}}, space, 1).ok());
  EXPECT_TRUE(make_sampler(nullptr, space, 1).ok());
  EXPECT_TRUE(make_pruner(nullptr, 1).ok());
  EXPECT_FALSE(make_pruner(nlohmann::json{{"name", "magic"}}, 1).ok());
}

}  // namespace
}  // namespace maas::hpo
