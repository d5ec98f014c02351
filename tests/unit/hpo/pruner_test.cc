#include "hpo/pruner.h"

#include <gtest/gtest.h>

#include <vector>

#include "hpo/pruners/hyperband_pruner.h"
#include "hpo/pruners/percentile_pruner.h"

namespace maas::hpo {
namespace {

Trial trial(int64_t number, TrialState state, std::vector<std::pair<int64_t, double>> intermediate) {
  Trial t;
  t.number = number;
  t.state = state;
  t.intermediate = std::move(intermediate);
  if (state == TrialState::kComplete) t.values = {t.intermediate.empty() ? 0.0 : t.intermediate.back().second};
  return t;
}

std::unique_ptr<Pruner> make(const char* config) {
  auto pruner = make_pruner(nlohmann::json::parse(config), 1);
  EXPECT_TRUE(pruner.ok()) << pruner.status().to_string();
  return std::move(pruner).value();
}

bool decide(const Pruner& pruner, std::vector<Trial> trials, Direction direction = Direction::kMinimize) {
  const std::vector<Direction> directions = {direction};
  StudyView view{.space = nullptr, .directions = directions, .trials = trials};
  const Trial& current = trials.back();
  return pruner.should_prune(view, current, current.intermediate.back().first);
}

TEST(NumpyPercentile, InterpolatesLinearly) {
  EXPECT_DOUBLE_EQ(numpy_percentile({1, 2, 3, 4}, 50), 2.5);
  EXPECT_DOUBLE_EQ(numpy_percentile({3, 1, 2}, 50), 2);
  EXPECT_DOUBLE_EQ(numpy_percentile({1, 2, 3, 4}, 25), 1.75);
  EXPECT_DOUBLE_EQ(numpy_percentile({5}, 90), 5);
}

TEST(MedianPruner, WaitsForStartupTrialsThenComparesWithTheMedianAtTheStep) {
  const auto pruner = make(R"({"name": "median"})");
  std::vector<Trial> trials;
  trials.reserve(6);
  for (int i = 0; i < 4; ++i) trials.push_back(trial(i, TrialState::kComplete, {{0, 1.0 + i}, {1, 0.5 + i}}));
  trials.push_back(trial(4, TrialState::kRunning, {{0, 10.0}}));
  EXPECT_FALSE(decide(*pruner, trials));  // four complete trials: still starting up
  trials.insert(trials.end() - 1, trial(4, TrialState::kComplete, {{0, 5.0}, {1, 4.5}}));
  trials.back().number = 5;
  // Step 0's values 1..5: median 3. Best so far 10 > 3: pruned; 2.9 is not.
  EXPECT_TRUE(decide(*pruner, trials));
  trials.back().intermediate = {{0, 2.9}};
  EXPECT_FALSE(decide(*pruner, trials));
  // Maximizing, worse is lower: 2.9 < 3 is pruned, 3.1 is not.
  EXPECT_TRUE(decide(*pruner, trials, Direction::kMaximize));
  trials.back().intermediate = {{0, 3.1}};
  EXPECT_FALSE(decide(*pruner, trials, Direction::kMaximize));
  // The best value over every step counts: 10 at step 1 after 0.1 at step 0 stays.
  trials.back().intermediate = {{0, 0.1}, {1, 10.0}};
  EXPECT_FALSE(decide(*pruner, trials));
}

TEST(MedianPruner, HonoursWarmupAndIntervals) {
  const auto pruner = make(R"({"name": "median", "n_startup_trials": 1, "n_warmup_steps": 2, "interval_steps": 3})");
  std::vector<Trial> trials = {trial(0, TrialState::kComplete, {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}})};
  trials.push_back(trial(1, TrialState::kRunning, {{0, 9}, {1, 9}}));
  EXPECT_FALSE(decide(*pruner, trials));  // step 1 < warm-up 2
  trials.back().intermediate.emplace_back(2, 9);
  EXPECT_TRUE(decide(*pruner, trials));  // step 2 opens the interval [2, 5)
  trials.back().intermediate.emplace_back(3, 9);
  EXPECT_FALSE(decide(*pruner, trials));  // 3 is not the first report in [2, 5)
  trials.back().intermediate.emplace_back(5, 9);
  EXPECT_TRUE(decide(*pruner, trials));  // 5 opens [5, 8)
}

TEST(MedianPruner, NoCompleteValueAtTheStepNeverPrunes) {
  const auto pruner = make(R"({"name": "median", "n_startup_trials": 0})");
  std::vector<Trial> trials = {trial(0, TrialState::kComplete, {{0, 0}}), trial(1, TrialState::kRunning, {{7, 9}})};
  EXPECT_FALSE(decide(*pruner, trials));
}

TEST(SuccessiveHalving, PromotesOnlyTheBestOfTheFirstValuesAtARung) {
  // Rungs at steps 1, 2, 4, 8 (min_resource 1, factor 2).
  const auto pruner = make(R"({"name": "asha", "min_resource": 1, "reduction_factor": 2})");
  std::vector<Trial> trials = {trial(0, TrialState::kComplete, {{1, 0.5}, {2, 0.4}, {4, 0.3}})};
  // Two values at rung 0 (step 1): 2 // 2 - 1 = 0, so only a value <= the best there goes on.
  trials.push_back(trial(1, TrialState::kRunning, {{1, 0.6}}));
  EXPECT_TRUE(decide(*pruner, trials));
  trials.back().intermediate = {{1, 0.5}};
  EXPECT_FALSE(decide(*pruner, trials));
}

TEST(SuccessiveHalving, DecidesAtRungStepsFromDerivedRungValues) {
  const auto pruner = make(R"({"name": "asha", "min_resource": 2, "reduction_factor": 2})");
  // Rungs at steps 2, 4, 8.
  std::vector<Trial> trials = {
      trial(0, TrialState::kComplete, {{1, 0.9}, {2, 0.5}, {3, 0.45}, {4, 0.4}}),
      trial(1, TrialState::kPruned, {{1, 0.9}, {2, 0.7}}),
      trial(2, TrialState::kComplete, {{2, 0.3}, {4, 0.35}}),
  };
  // Step 1 is below the first rung: never pruned.
  trials.push_back(trial(3, TrialState::kRunning, {{1, 5.0}}));
  EXPECT_FALSE(decide(*pruner, trials));
  // Rung 0 (step 2) holds 0.5, 0.7, 0.3 and ours: 4 values, 4 // 2 - 1 = index 1 of the sorted values.
  trials.back().intermediate = {{1, 5.0}, {2, 0.5}};  // sorted 0.3 0.5 0.5 0.7: 0.5 <= 0.5 promoted
  EXPECT_FALSE(decide(*pruner, trials));
  trials.back().intermediate = {{1, 5.0}, {2, 0.6}};  // sorted 0.3 0.5 0.6 0.7: 0.6 > 0.5 pruned
  EXPECT_TRUE(decide(*pruner, trials));
  // Past rung 0 already: at step 3 no new rung, not pruned whatever the value.
  trials.back().intermediate = {{2, 0.5}, {3, 99.0}};
  EXPECT_FALSE(decide(*pruner, trials));
  // Rung 1 (step 4) holds 0.4 and 0.35 and ours 0.38: 3 // 2 - 1 = 0: must be <= 0.35: pruned.
  trials.back().intermediate = {{2, 0.5}, {3, 99.0}, {4, 0.38}};
  EXPECT_TRUE(decide(*pruner, trials));
  // One report past two rungs checks both: step 4 straight away with 0.3 passes rung 0 (0.3 <= 0.5) and rung 1.
  trials.back().intermediate = {{4, 0.3}};
  EXPECT_FALSE(decide(*pruner, trials));
}

TEST(Hyperband, SplitsTrialsIntoBracketsAsOptuna) {
  // max 81, min 1, factor 3: five brackets with budgets ceil(5 * 3^s / (s + 1)) for s = 4..0.
  EXPECT_EQ(hyperband_budgets(1, 81, 3), (std::vector<int64_t>{81, 34, 15, 8, 5}));
  EXPECT_EQ(hyperband_budgets(1, 100, 3), (std::vector<int64_t>{81, 34, 15, 8, 5}));
  // python3: binascii.crc32(b"study_0") % 143 == 81 -> bracket 1; b"study_1" -> 34 -> bracket 0.
  EXPECT_EQ(hyperband_bracket("study", 0, {81, 34, 15, 8, 5}), 1u);
  EXPECT_EQ(hyperband_bracket("study", 1, {81, 34, 15, 8, 5}), 0u);
}

TEST(Pruners, RefuseUnknownNamesOptionsAndSeveralObjectives) {
  EXPECT_NE(make_pruner(nlohmann::json::parse(R"({"name": "nope"})"), 1).status().message().find("known: none"),
            std::string::npos);
  EXPECT_NE(make_pruner(nlohmann::json::parse(R"({"name": "median", "x": 1})"), 1).status().message().find("pruner.x"),
            std::string::npos);
  EXPECT_NE(make_pruner(nlohmann::json::parse(R"({"name": "asha", "reduction_factor": 1})"), 1)
                .status()
                .message()
                .find("pruner.reduction_factor"),
            std::string::npos);
  EXPECT_FALSE(make_pruner(nlohmann::json::parse(R"({"name": "median"})"), 2).ok());
  EXPECT_TRUE(make_pruner(nlohmann::json::parse(R"({"name": "none"})"), 2).ok());
  EXPECT_FALSE(make_pruner(nlohmann::json::parse(R"({"name": "percentile"})"), 1).ok());
}

}  // namespace
}  // namespace maas::hpo
