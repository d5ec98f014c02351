// hpo/trial.h's Pareto helpers (minimizing by direction, dominance, and the front the studies' best_trials and
// NSGA-II share) and the directions reader studies and maas-hpo share.
#include "hpo/trial.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace maas::hpo {
namespace {

TEST(Pareto, MinimizedNegatesOnlyMaximizedObjectives) {
  const std::vector<Direction> directions = {Direction::kMinimize, Direction::kMaximize};
  EXPECT_EQ(minimized(directions, std::vector<double>{2.0, 3.0}), (std::vector<double>{2.0, -3.0}));
}

TEST(Pareto, DominatesNeedsNoWorseEverywhereAndBetterSomewhere) {
  EXPECT_TRUE(dominates(std::vector<double>{1, 2}, std::vector<double>{1, 3}));
  EXPECT_FALSE(dominates(std::vector<double>{1, 3}, std::vector<double>{1, 2}));
  EXPECT_FALSE(dominates(std::vector<double>{1, 2}, std::vector<double>{1, 2}));  // equal: neither
  EXPECT_FALSE(dominates(std::vector<double>{0, 3}, std::vector<double>{1, 2}));  // a trade-off: neither
}

TEST(Pareto, FrontKeepsTheNonDominatedPointsInOrderWithTies) {
  // Minimize the first, maximize the second: (1, 5) and (2, 6) trade off; (2, 4) is dominated by (1, 5); the
  // repeated (1, 5) is on the front too (equal points do not dominate each other).
  const std::vector<Direction> directions = {Direction::kMinimize, Direction::kMaximize};
  std::vector<std::vector<double>> points;
  for (const auto& values : std::vector<std::vector<double>>{{1, 5}, {2, 4}, {2, 6}, {1, 5}, {3, 6}}) {
    points.push_back(minimized(directions, values));
  }
  EXPECT_EQ(pareto_front(points), (std::vector<size_t>{0, 2, 3}));
  EXPECT_TRUE(pareto_front({}).empty());
}

TEST(Directions, ParseReadsNamesAndRefusesNamingTheEntry) {
  const auto parsed = parse_directions(nlohmann::json::parse(R"(["minimize", "maximize"])"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(*parsed, (std::vector<Direction>{Direction::kMinimize, Direction::kMaximize}));
  const auto wrong = parse_directions(nlohmann::json::parse(R"(["minimize", "up"])"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.status().message().find("'directions[1]'"), std::string::npos) << wrong.status().message();
  for (const char* text : {"[]", "\"minimize\"", "null"}) {
    EXPECT_FALSE(parse_directions(nlohmann::json::parse(text)).ok()) << text;
  }
  EXPECT_FALSE(parse_directions(nlohmann::json(std::vector<std::string>(kMaxObjectives + 1, "minimize"))).ok());
}

}  // namespace
}  // namespace maas::hpo
