// The two-sample Kolmogorov–Smirnov p-value exactly as scipy.stats.ks_2samp(method="auto") computes it in scipy 1.10
// (Debian 12): the exact distribution of the statistic when both samples have at most 10 000 values, the one-sample
// distribution kstwo.sf(D, round(n·m/(n+m))) otherwise (docs/DATA.md, "Drift").
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>

namespace maas::data::prep {

struct KsPValue {
  double statistic = 0;  // the exact path rounds D to the lattice h/lcm(n1, n2), as scipy does
  double pvalue = 1;
  bool exact = false;
};

// d: the largest distance between the two empirical CDFs of samples of sizes n1, n2 (both > 0).
KsPValue ks_2samp_pvalue(int64_t n1, int64_t n2, double d);

// scipy.stats.kstwo.sf(x, n): P(D_n > x) for the one-sample two-sided statistic (Simard & L'Ecuyer's choice of
// methods: Ruben–Gambino, Durbin's matrix, Pomeranz's recursion, Pelz–Good, 2·smirnov).
double kstwo_sf(int64_t n, double x);

// scipy.special.smirnov(n, x): P(D_n⁺ ≥ x), the one-sided statistic (Birnbaum–Tingey's sum).
double smirnov_sf(int64_t n, double x);

}  // namespace maas::data::prep
