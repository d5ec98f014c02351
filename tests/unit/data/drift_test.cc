#include "data/prep/drift.h"

#include <gtest/gtest.h>

namespace maas::data::prep {
namespace {

TEST(KolmogorovSf, EqualsScipySpecialKolmogorovOnBothSidesOfTheCutover) {
  // scipy.special.kolmogorov(y), scipy 1.10.1 (Debian 12).
  const std::pair<double, double> scipy_values[] = {{0.1, 1.0},
                                                    {0.3, 0.9999906941986655},
                                                    {0.5, 0.9639452436648751},
                                                    {0.81, 0.5279614323123148},
                                                    {0.82, 0.5119717052984973},
                                                    {1.0, 0.26999967167735456},
                                                    {1.5, 0.022217962616525127},
                                                    {3.0, 3.045995948942526e-08},
                                                    {6.0, 1.0760372320042276e-31}};
  for (const auto& [y, expected] : scipy_values) {
    EXPECT_NEAR(kolmogorov_sf(y), expected, 1e-12 + 1e-9 * expected) << y;
  }
  EXPECT_EQ(kolmogorov_sf(0), 1.0);
}

}  // namespace
}  // namespace maas::data::prep
