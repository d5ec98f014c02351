// The metrics on scikit-learn's documented examples; tests/integration/test_train_metrics.py compares them with
// scikit-learn itself on random data.
#include <gtest/gtest.h>

#include <vector>

#include "training/metrics/classification.h"
#include "training/metrics/probability.h"
#include "training/metrics/ranking.h"
#include "training/metrics/regression.h"

namespace maas::training::metrics {
namespace {

using I = std::vector<int64_t>;
using D = std::vector<double>;

TEST(ClassificationMetrics, AveragesPrecisionRecallAndF1AsScikitLearnDoes) {
  I y_true{0, 1, 2, 0, 1, 2};
  I y_pred{0, 2, 1, 0, 0, 1};
  EXPECT_NEAR(precision_recall_f1(y_true, y_pred, Average::kMacro)->f1, 0.26666666666666666, 1e-12);
  EXPECT_NEAR(precision_recall_f1(y_true, y_pred, Average::kMicro)->f1, 1.0 / 3, 1e-12);
  EXPECT_NEAR(precision_recall_f1(y_true, y_pred, Average::kWeighted)->precision, 0.2222222222222222, 1e-12);
  EXPECT_FALSE(precision_recall_f1(y_true, y_pred, Average::kBinary).ok());
  EXPECT_DOUBLE_EQ(*accuracy(y_true, y_pred), 2.0 / 6);
}

TEST(ClassificationMetrics, ZeroDivisionDecidesPrecisionWithoutPredictions) {
  I y_true{1, 0, 1};
  I y_pred{0, 0, 0};
  EXPECT_EQ(precision_recall_f1(y_true, y_pred, Average::kBinary, ZeroDivision::kZero)->precision, 0.0);
  EXPECT_EQ(precision_recall_f1(y_true, y_pred, Average::kBinary, ZeroDivision::kOne)->precision, 1.0);
  EXPECT_EQ(precision_recall_f1(y_true, y_pred, Average::kBinary, ZeroDivision::kOne)->f1, 0.0);
}

TEST(ClassificationMetrics, ConfusionMatrixRowsAreTrueLabels) {
  auto m = confusion_matrix(I{2, 0, 2, 2, 0, 1}, I{0, 0, 2, 2, 0, 2});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->counts, (std::vector<std::vector<int64_t>>{{2, 0, 0}, {0, 0, 1}, {1, 0, 2}}));
}

TEST(RankingMetrics, RocAucAndAveragePrecisionOfTheDocumentedExample) {
  I y{0, 0, 1, 1};
  D scores{0.1, 0.4, 0.35, 0.8};
  EXPECT_NEAR(*roc_auc(y, scores), 0.75, 1e-12);
  EXPECT_NEAR(*average_precision(y, scores), 0.8333333333333333, 1e-12);
  EXPECT_FALSE(roc_auc(I{1, 1}, D{0.2, 0.3}).ok());
}

TEST(RankingMetrics, NdcgAveragesTiedDocuments) {
  D relevance{10, 0, 0, 1, 5};
  D scores{.1, .2, .3, 4, 70};
  RankedQuery q{relevance, scores};
  EXPECT_NEAR(*ndcg(std::span(&q, 1), std::nullopt), 0.6956940443813076, 1e-12);
  D tied{1, 0, 0, 0, 1};
  RankedQuery t{relevance, tied};
  EXPECT_NEAR(*ndcg(std::span(&t, 1), 1), 0.75, 1e-12);
}

TEST(ProbabilityMetrics, LogLossAndBrier) {
  I y{1, 0, 0, 1};
  D p{.1, .9, .9, .1, .8, .2, .35, .65};
  EXPECT_NEAR(*log_loss(y, ScoreMatrix{p, 2}), 0.21616187468057912, 1e-12);
  EXPECT_NEAR(*brier(I{0, 1, 1, 0}, D{0.1, 0.9, 0.8, 0.3}), 0.0375, 1e-12);
  EXPECT_FALSE(brier(I{0, 1}, D{0.1, 1.5}).ok());
}

TEST(RegressionMetrics, DocumentedExamples) {
  D y_true{3, -0.5, 2, 7};
  D y_pred{2.5, 0.0, 2, 8};
  EXPECT_NEAR(*r2(y_true, y_pred), 0.9486081370449679, 1e-12);
  EXPECT_NEAR(*mae(y_true, y_pred), 0.5, 1e-12);
  EXPECT_NEAR(*rmse(y_true, y_pred), 0.6123724356957945, 1e-12);
  EXPECT_NEAR(*mape(y_true, y_pred), 0.3273809523809524, 1e-12);
  EXPECT_EQ(*r2(D{1, 1}, D{1, 1}), 1.0);
  EXPECT_EQ(*r2(D{1, 1}, D{1, 2}), 0.0);
  EXPECT_FALSE(rmse(D{1, 2}, D{1}).ok());
}

}  // namespace
}  // namespace maas::training::metrics
