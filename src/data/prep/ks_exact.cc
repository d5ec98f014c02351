// ks_2samp_pvalue: scipy 1.10's choice between the exact two-sample distribution and the asymptotic one, and the exact
// one by lattice paths (Hodges' treatment of Drion/Gnedenko/Korolyuk; Viehmann's recursion for 1 − p).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "data/prep/ks.h"

namespace maas::data::prep {
namespace {

constexpr int64_t kMaxExactN = 10000;  // scipy's MAX_AUTO_N

// P(D_{n,n} ≥ h/n) = 2·(C(2n, n−h) − C(2n, n−2h) + …) / C(2n, n), each term divided by C(2n, n) and the alternating
// sum evaluated from the inside out, which avoids the subtractive cancellation of the plain sum.
double prob_outside_square(int64_t n, int64_t h) {
  double p = 0;
  for (int64_t k = n / h; k >= 0; --k) {
    double term = 1.0;
    for (int64_t j = 0; j < h; ++j) {
      term = static_cast<double>(n - k * h - j) * term / static_cast<double>(n + k * h + j + 1);
    }
    p = term * (1.0 - p);
  }
  return 2 * p;
}

// The share of the lattice paths from (0, 0) to (m, n) that leave |x/m − y/n| < h/lcm(m, n), column by column over
// a sliding window of the rows each column can reach; each cell holds the share that already left, so the result
// is 1 − p without forming p.
double outer_prob_inside(int64_t m, int64_t n, int64_t g, int64_t h) {
  if (m < n) std::swap(m, n);
  const int64_t mg = m / g, ng = n / g;
  auto ceil_div = [](int64_t a, int64_t b) {
    return static_cast<int64_t>(std::ceil(static_cast<double>(a) / static_cast<double>(b)));
  };
  auto floor_div = [](int64_t a, int64_t b) {
    return static_cast<int64_t>(std::floor(static_cast<double>(a) / static_cast<double>(b)));
  };
  int64_t minj = 0, maxj = std::min(ceil_div(h, mg), n + 1);
  int64_t curlen = maxj - minj;
  const int64_t len = std::min(2 * maxj + 2, n + 1);
  std::vector<double> a(static_cast<size_t>(len), 1.0);
  std::fill(a.begin(), a.begin() + std::min(maxj, len), 0.0);
  for (int64_t i = 1; i <= m; ++i) {
    const int64_t lastminj = minj, lastlen = curlen;
    minj = std::min(std::max(floor_div(ng * i - h, mg) + 1, int64_t{0}), n);
    maxj = std::min(ceil_div(ng * i + h, mg), n + 1);
    if (maxj <= minj) return 1.0;
    double val = minj == 0 ? 0.0 : 1.0;
    for (int64_t jj = 0; jj < maxj - minj; ++jj) {
      const int64_t j = jj + minj;
      val = (a[static_cast<size_t>(jj + minj - lastminj)] * static_cast<double>(i) + val * static_cast<double>(j)) /
            static_cast<double>(i + j);
      a[static_cast<size_t>(jj)] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) {
      const int64_t from = maxj - minj, to = std::min(from + (lastlen - curlen), len);
      std::fill(a.begin() + from, a.begin() + to, 1.0);
    }
  }
  return a[static_cast<size_t>(maxj - minj - 1)];
}

// scipy's _attempt_exact_2kssamp for the two-sided alternative. D is rounded to the lattice either way; a p-value
// that is not a probability is NaN (scipy then falls back to the asymptotic distribution, with the rounded D).
KsPValue exact(int64_t n1, int64_t n2, double d) {
  const int64_t g = std::gcd(n1, n2);
  const int64_t lcm = (n1 / g) * n2;
  // np.round: halves to even, as nearbyint in the default rounding mode.
  const auto h = static_cast<int64_t>(std::nearbyint(d * static_cast<double>(lcm)));
  KsPValue out{static_cast<double>(h) / static_cast<double>(lcm), 1.0, true};
  if (h == 0) return out;
  out.pvalue = n1 == n2 ? prob_outside_square(n1, h) : outer_prob_inside(n1, n2, g, h);
  if (!(out.pvalue >= 0 && out.pvalue <= 1)) out.pvalue = std::nan("");
  return out;
}

}  // namespace

KsPValue ks_2samp_pvalue(int64_t n1, int64_t n2, double d) {
  if (std::max(n1, n2) <= kMaxExactN) {
    KsPValue p = exact(n1, n2, d);
    if (!std::isnan(p.pvalue)) return p;
    d = p.statistic;
  }
  const double m = static_cast<double>(std::max(n1, n2)), n = static_cast<double>(std::min(n1, n2));
  const auto en = static_cast<int64_t>(std::nearbyint(m * n / (m + n)));
  return {d, std::clamp(kstwo_sf(en, d), 0.0, 1.0), false};
}

}  // namespace maas::data::prep
