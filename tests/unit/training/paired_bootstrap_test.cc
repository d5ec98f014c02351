#include "training/compare/paired_bootstrap.h"

#include <gtest/gtest.h>

namespace maas::training::compare {
namespace {

Predictions binary(std::vector<double> label, std::vector<double> scores) {
  Predictions p;
  p.label = std::move(label);
  p.values = std::move(scores);
  return p;
}

TEST(PairedBootstrap, AModelAgainstItselfTies) {
  Predictions p = binary({0, 1, 0, 1, 1, 0, 1, 0}, {0.2, 0.7, 0.4, 0.6, 0.9, 0.1, 0.3, 0.5});
  auto result = paired_bootstrap(Task::kBinary, p, p, {"roc_auc", 200, 3, 0.95});
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->difference, 0);
  EXPECT_EQ(result->p_value, 1);
  EXPECT_EQ(result->ci_low, 0);
  EXPECT_EQ(result->ci_high, 0);
}

TEST(PairedBootstrap, APerfectModelBeatsACoinFlipSignificantly) {
  std::vector<double> label, perfect, noise;
  for (int i = 0; i < 200; ++i) {
    label.push_back(i % 2);
    perfect.push_back(i % 2 ? 0.9 : 0.1);
    noise.push_back((i * 37 % 100) / 100.0);
  }
  auto result =
      paired_bootstrap(Task::kBinary, binary(label, noise), binary(label, perfect), {"log_loss", 300, 1, 0.95});
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_FALSE(result->higher_is_better);
  EXPECT_LT(result->difference, 0);
  EXPECT_LT(result->ci_high, 0);
  EXPECT_EQ(result->p_value, 0);
  EXPECT_EQ(result->used, 300);
}

TEST(PairedBootstrap, RefusesModelsEvaluatedOnDifferentRows) {
  auto result =
      paired_bootstrap(Task::kBinary, binary({0, 1}, {0.1, 0.9}), binary({1, 0}, {0.1, 0.9}), {"roc_auc", 10, 0, 0.9});
  EXPECT_FALSE(result.ok());
}

TEST(PairedBootstrap, StopsWhenAskedBetweenResamples) {
  Predictions p = binary({0, 1, 0, 1}, {0.2, 0.7, 0.4, 0.6});
  auto result = paired_bootstrap(Task::kBinary, p, p, {"accuracy", 1000, 0, 0.95}, [](int64_t) { return false; });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace maas::training::compare
