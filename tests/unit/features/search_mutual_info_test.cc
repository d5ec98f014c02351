// Mutual information against scikit-learn 1.2 (mutual_info_regression / mutual_info_classif, n_neighbors=3) on data
// without ties, where sklearn's tie-breaking noise changes nothing (its value is the same for any random_state).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "features/search/mutual_info.h"

namespace maas::features::search {
namespace {

struct Data {
  std::vector<double> x, z, y;
  std::vector<int64_t> c;
};

// The Python that computed the references builds the same columns with numpy.
Data make_data() {
  Data d;
  for (int i = 0; i < 400; ++i) {
    const double x = std::sin(i * 0.37) * 3 + std::cos(i * 1.7);
    d.x.push_back(x);
    d.z.push_back(std::sin(i * 0.11 + 1.0) * std::cos(i * 0.53));
    d.y.push_back(x * x + 0.3 * std::sin(i * 2.9));
    d.c.push_back((x > 0.5 ? 1 : 0) + (i % 3 == 0 ? 1 : 0));
  }
  return d;
}

TEST(MutualInfo, ContinuousEqualsSklearnsKraskovEstimate) {
  const Data d = make_data();
  EXPECT_NEAR(mutual_info_continuous(d.x, d.y), 2.4537310115459543, 1e-9);
  EXPECT_NEAR(mutual_info_continuous(d.z, d.y), 0.019180280573625197, 1e-9);
}

TEST(MutualInfo, DiscreteEqualsSklearnsRossEstimate) {
  const Data d = make_data();
  EXPECT_NEAR(mutual_info_discrete(d.x, d.c), 0.36665419875977845, 1e-9);
  EXPECT_NEAR(mutual_info_discrete(d.z, d.c), 0.01943227321978691, 1e-9);
}

TEST(MutualInfo, LeavesOutRowsWhereTheFeatureIsMissing) {
  Data d = make_data();
  std::vector<double> x = d.x, y = d.y;
  x.push_back(std::nan(""));
  y.push_back(100);
  EXPECT_DOUBLE_EQ(mutual_info_continuous(x, y), mutual_info_continuous(d.x, d.y));
}

TEST(MutualInfo, IsZeroForTooFewRows) {
  EXPECT_EQ(mutual_info_continuous(std::vector<double>{1, 2, 3}, std::vector<double>{3, 1, 2}), 0);
}

TEST(MutualInfo, DigammaEqualsScipy) {
  EXPECT_NEAR(digamma(0.5), -1.9635100260214235, 1e-13);
  EXPECT_NEAR(digamma(3.0), 0.9227843350984671, 1e-13);
  EXPECT_NEAR(digamma(7.25), 1.9104535268837362, 1e-13);
  EXPECT_NEAR(digamma(400.0), 5.990214026274974, 1e-13);
}

}  // namespace
}  // namespace maas::features::search
