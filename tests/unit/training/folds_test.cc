#include "training/cv/folds.h"

#include <gtest/gtest.h>

#include <vector>

#include "training/cv/cv_spec.h"
#include "training/cv/numpy_shuffle.h"

namespace maas::training::cv {
namespace {

using Rows = std::vector<size_t>;

TEST(Folds, KFoldGivesTheFirstFoldsTheRemainderRows) {
  FoldOptions options;
  options.n_splits = 3;
  auto folds = make_folds(options, 7, {}, {});
  ASSERT_TRUE(folds.ok()) << folds.status().message();
  EXPECT_EQ((*folds)[0].test, (Rows{0, 1, 2}));
  EXPECT_EQ((*folds)[1].test, (Rows{3, 4}));
  EXPECT_EQ((*folds)[2].test, (Rows{5, 6}));
  EXPECT_EQ((*folds)[1].train, (Rows{0, 1, 2, 5, 6}));
}

TEST(Folds, StratifiedKeepsTheClassShareInEachFold) {
  FoldOptions options;
  options.strategy = FoldStrategy::kStratified;
  options.n_splits = 2;
  // StratifiedKFold(2).split(X, [1, 1, 0, 0, 1, 0, 1, 0]): tests [0, 1, 2, 3] and [4, 5, 6, 7].
  auto folds = make_folds(options, 8, {1, 1, 0, 0, 1, 0, 1, 0}, {});
  ASSERT_TRUE(folds.ok());
  EXPECT_EQ((*folds)[0].test, (Rows{0, 1, 2, 3}));
  EXPECT_EQ((*folds)[1].test, (Rows{4, 5, 6, 7}));
}

TEST(Folds, GroupsNeverSpanFolds) {
  FoldOptions options;
  options.strategy = FoldStrategy::kGroup;
  options.n_splits = 2;
  auto folds = make_folds(options, 6, {}, {0, 0, 0, 1, 1, 2});
  ASSERT_TRUE(folds.ok());
  EXPECT_EQ((*folds)[0].test, (Rows{0, 1, 2}));
  EXPECT_EQ((*folds)[1].test, (Rows{3, 4, 5}));
}

TEST(Folds, TimeSeriesTrainsOnThePastOnly) {
  FoldOptions options;
  options.strategy = FoldStrategy::kTimeSeries;
  options.n_splits = 3;
  options.gap = 1;
  auto folds = make_folds(options, 8, {}, {});
  ASSERT_TRUE(folds.ok());
  // TimeSeriesSplit(3, gap=1) over 8 rows: test windows of 2 from row 2.
  EXPECT_EQ((*folds)[0].train, (Rows{0}));
  EXPECT_EQ((*folds)[0].test, (Rows{2, 3}));
  EXPECT_EQ((*folds)[2].train, (Rows{0, 1, 2, 3, 4}));
  EXPECT_EQ((*folds)[2].test, (Rows{6, 7}));
}

TEST(Folds, MoreFoldsThanRowsOrGroupsIsRefused) {
  FoldOptions options;
  options.n_splits = 4;
  EXPECT_FALSE(make_folds(options, 3, {}, {}).ok());
  options.strategy = FoldStrategy::kGroup;
  EXPECT_FALSE(make_folds(options, 6, {}, {0, 0, 1, 1, 2, 2}).ok());
}

TEST(NumpyRandomState, ShufflesAsNumpyDoes) {
  // np.random.RandomState(0).shuffle(a) for a = np.arange(10) gives [2 8 4 9 1 6 7 3 0 5].
  std::vector<int> values{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  NumpyRandomState(0).shuffle(values);
  EXPECT_EQ(values, (std::vector<int>{2, 8, 4, 9, 1, 6, 7, 3, 0, 5}));
}

TEST(CvSpec, RefusesShuffleForGroupedFolds) {
  auto spec = cv_spec_from_json({{"strategy", "group"}, {"group_column", "g"}, {"shuffle", true}}, nullptr);
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("shuffle"), std::string::npos);
}

}  // namespace
}  // namespace maas::training::cv
