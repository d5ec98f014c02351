// kstwo_sf and smirnov_sf: scipy 1.10's one-sample Kolmogorov–Smirnov distributions (scipy/stats/_ksstats.py and
// cephes' smirnov), which ks_2samp's asymptotic p-value reads. Each method and each switch between them follows
// scipy, so the p-values agree to rounding.
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <tuple>
#include <vector>

#include "data/prep/ks.h"

namespace maas::data::prep {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kScaleBits = 128;  // intermediate results are rescaled by 2^±128 and the exponent kept aside
const double kUp = std::ldexp(1.0, kScaleBits), kDown = std::ldexp(1.0, -kScaleBits);

double clip(double p) { return std::clamp(p, 0.0, 1.0); }

// log(n! / n^n) by Stirling's series with n·log(n) taken out first.
double log_factorial_over_power(double n) {
  constexpr std::array<double, 8> kStirling = {
      -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
      -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2};
  const double rn = 1.0 / n, y = rn / n;
  double poly = 0;
  for (double c : kStirling) poly = poly * y + c;
  return std::log(n) / 2 - n + std::log(2 * kPi) / 2 + rn * poly;
}

using Matrix = std::vector<std::vector<double>>;

Matrix multiply(const Matrix& a, const Matrix& b) {
  const size_t m = a.size();
  Matrix out(m, std::vector<double>(m, 0.0));
  for (size_t i = 0; i < m; ++i) {
    for (size_t k = 0; k < m; ++k) {
      const double aik = a[i][k];
      if (aik == 0) continue;
      for (size_t j = 0; j < m; ++j) out[i][j] += aik * b[k][j];
    }
  }
  return out;
}

// P(D_n ≤ d) by Durbin's matrix, computed as Marsaglia, Tsang and Wang do: with d = (k − h)/n, the k-th diagonal
// entry of (n!/n^n)·H^n for an (2k−1)² matrix H.
double cdf_durbin(int64_t n, double d) {
  if (d >= 1.0) return 1.0;
  const double nd = static_cast<double>(n) * d;
  if (nd <= 0.5) return 0.0;
  const auto k = static_cast<int64_t>(std::ceil(nd));
  const double h = static_cast<double>(k) - nd;
  const auto m = static_cast<size_t>(2 * k - 1);
  std::vector<double> v(m), w(m);
  double fac = 1.0;
  for (size_t j = 1; j <= m; ++j) {
    w[j - 1] = fac;
    fac /= static_cast<double>(j);
    v[j - 1] = (1.0 - std::pow(h, static_cast<double>(j))) * fac;
  }
  const double tt =
      std::pow(std::max(2 * h - 1.0, 0.0), static_cast<double>(m)) - 2 * std::pow(h, static_cast<double>(m));
  v[m - 1] = (1.0 + tt) * fac;
  Matrix hm(m, std::vector<double>(m, 0.0));
  for (size_t i = 1; i < m; ++i) {
    for (size_t r = i - 1; r < m; ++r) hm[r][i] = w[r - (i - 1)];
  }
  for (size_t r = 0; r < m; ++r) hm[r][0] = v[r];
  for (size_t c = 0; c < m; ++c) hm[m - 1][c] = v[m - 1 - c];

  Matrix power(m, std::vector<double>(m, 0.0));
  for (size_t i = 0; i < m; ++i) power[i][i] = 1.0;
  int64_t exponent = 0, h_exponent = 0;
  const auto kk = static_cast<size_t>(k - 1);
  for (int64_t left = n; left > 0; left /= 2) {
    if (left % 2 != 0) {
      power = multiply(power, hm);
      exponent += h_exponent;
    }
    hm = multiply(hm, hm);
    h_exponent *= 2;
    if (std::abs(hm[kk][kk]) > kUp) {
      for (auto& row : hm)
        for (double& x : row) x /= kUp;
      h_exponent += kScaleBits;
    }
  }
  long double p = power[kk][kk];
  for (int64_t i = 1; i <= n; ++i) {
    p = static_cast<long double>(i) * p / static_cast<long double>(n);
    if (std::abs(p) < kDown) {
      p *= kUp;
      exponent -= kScaleBits;
    }
  }
  return static_cast<double>(std::ldexp(p, static_cast<int>(exponent)));
}

// The window [j1, j2] of row i of Pomeranz's recursion that can be non-zero.
std::pair<int64_t, int64_t> pomeranz_window(int64_t i, int64_t n, int64_t ll, int64_t ceilf, int64_t roundf) {
  int64_t j1 = 0, j2 = 0;
  if (i == 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const int64_t half = (i + 1) / 2;
    if ((i + 1) % 2 == 0) {
      if (half == n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return {std::max(j1 + 2, int64_t{0}), std::min(j2, n)};
}

// P(D_n ≤ x) by Pomeranz's recursion: each row is the previous one convolved with (almost) Poisson probabilities.
double cdf_pomeranz(int64_t n, double x) {
  const double t = static_cast<double>(n) * x;
  const auto ll = static_cast<int64_t>(std::floor(t));
  const double f = t - static_cast<double>(ll);
  const double g = std::min(f, 1.0 - f);
  const int64_t ceilf = f > 0 ? 1 : 0, roundf = f > 0.5 ? 1 : 0;
  const auto npwrs = static_cast<size_t>(2 * (ll + 1));
  const double nd = static_cast<double>(n);
  std::vector<double> gpower(npwrs), twogpower(npwrs), onem2gpower(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1.0;
  for (size_t m = 1; m < npwrs; ++m) {
    const double md = static_cast<double>(m);
    gpower[m] = gpower[m - 1] * (g / nd) / md;
    twogpower[m] = twogpower[m - 1] * (2 * g / nd) / md;
    onem2gpower[m] = onem2gpower[m - 1] * ((1 - 2 * g) / nd) / md;
  }
  std::vector<double> v0(npwrs, 0.0), v1(npwrs, 0.0);
  v1[0] = 1;
  int64_t v0s = 0, v1s = 0, exponent = 0;
  auto [j1, j2] = pomeranz_window(0, n, ll, ceilf, roundf);
  for (int64_t i = 1; i < 2 * n + 2; ++i) {
    const int64_t k1 = j1;
    std::swap(v0, v1);
    std::swap(v0s, v1s);
    std::fill(v1.begin(), v1.end(), 0.0);
    std::tie(j1, j2) = pomeranz_window(i, n, ll, ceilf, roundf);
    const std::vector<double>& pwrs = (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 != 0 ? twogpower : onem2gpower);
    const int64_t ln2 = j2 - k1 + 1;
    if (ln2 <= 0) continue;
    // conv = numpy.convolve(v0[k1 − v0s : k1 − v0s + ln2], pwrs[:ln2]); v1[:len] = conv[j1 − k1 : j2 − k1 + 1].
    const int64_t base = k1 - v0s;
    auto in = [&](int64_t idx) {
      return idx >= 0 && idx < static_cast<int64_t>(npwrs) ? v0[static_cast<size_t>(idx)] : 0.0;
    };
    const int64_t len = j2 - j1 + 1;
    double largest = 0;
    for (int64_t out = 0; out < len; ++out) {
      const int64_t c = j1 - k1 + out;
      double sum = 0;
      for (int64_t a = std::max<int64_t>(0, c - ln2 + 1); a <= std::min(c, ln2 - 1); ++a) {
        if (c - a < static_cast<int64_t>(npwrs)) sum += in(base + a) * pwrs[static_cast<size_t>(c - a)];
      }
      v1[static_cast<size_t>(out)] = sum;
      largest = std::max(largest, sum);
    }
    if (largest > 0 && largest < kDown) {
      for (double& y : v1) y *= kUp;
      exponent -= kScaleBits;
    }
    v1s = v0s + j1 - k1;
  }
  double ans = v1[static_cast<size_t>(n - v1s)];
  for (int64_t m = 1; m <= n; ++m) {
    if (std::abs(ans) > kUp) {
      ans *= kDown;
      exponent += kScaleBits;
    }
    ans *= static_cast<double>(m);
  }
  return std::ldexp(ans, static_cast<int>(exponent));
}

// The Pelz–Good approximation of P(D_n ≤ x): Li-Chien and Korolyuk's expansion in 1/√n with each term rewritten by
// Jacobi theta functions for small z = x·√n.
double cdf_pelz_good(int64_t n, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double z = std::sqrt(static_cast<double>(n)) * x;
  const double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  const double qlog = -kPi * kPi / 8 / z2;
  if (qlog < -708) return 0.0;
  double q = std::exp(qlog);
  const double pi2 = kPi * kPi, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
  const double k1a = -z2, k1b = pi2 / 4;
  const double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4, k2c = pi4 * (1 - 2 * z2) / 16;
  const double k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
  const double k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * z4 * z4;
  std::array<double, 4> k = {0, 0, 0, 0};
  const auto maxk = static_cast<int64_t>(std::ceil(16 * z / kPi));
  for (int64_t i = maxk; i > 0; --i) {
    const double m = static_cast<double>(2 * i - 1), m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
    const double qpower = std::pow(q, static_cast<double>(8 * i));
    const std::array<double, 4> coeffs = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                                          k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (size_t j = 0; j < 4; ++j) k[j] = k[j] * qpower + coeffs[j];
  }
  const std::array<double, 4> divisors = {z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4};
  for (size_t j = 0; j < 4; ++j) k[j] = k[j] * q * std::sqrt(2 * kPi) / divisors[j];
  q = std::exp(-pi2 / 2 / z2);
  double k2extra = 0, k3extra = 0;
  const double sqrt3z = std::sqrt(3.0) * z;
  for (int64_t i = maxk; i > 0; --i) {
    const double kd = static_cast<double>(i), ksq = kd * kd, qp = std::pow(q, ksq);
    k2extra += ksq * qp;
    k3extra += (sqrt3z + kPi * kd) * (sqrt3z - kPi * kd) * ksq * qp;
  }
  k[2] += k2extra * pi2 * std::sqrt(2 * kPi) / (-36 * z3);
  k[3] += k3extra * pi2 * std::sqrt(2 * kPi) / (216 * z6);
  double sum = 0;
  for (size_t j = 0; j < 4; ++j) sum += k[j] / std::pow(static_cast<double>(n), static_cast<double>(j) / 2.0);
  return sum;
}

}  // namespace

double smirnov_sf(int64_t n, double x) {
  if (!(n > 0 && x >= 0.0 && x <= 1.0)) return std::nan("");
  if (n == 1) return 1 - x;
  if (x == 0.0) return 1.0;
  if (x == 1.0) return 0.0;
  const long double nx = static_cast<long double>(n) * x;
  auto nxfl = static_cast<int64_t>(std::floor(nx));
  long double alpha = nx - static_cast<long double>(nxfl);
  if (alpha >= 1) {
    nxfl += 1;
    alpha = 0;
  }
  if (nxfl == 0 || (nxfl == 1 && alpha == 0)) return clip(1 - x * std::pow(1 + x, static_cast<double>(n - 1)));
  constexpr double kMinLog = -7.08396418532264106224e2;  // cephes' MINLOG: log(2^-1022)
  const double nd = static_cast<double>(n);
  if (-2 * nd * x * x < kMinLog) return 0.0;
  if (nxfl >= n - 1) return clip(std::pow(1 - x, nd));
  if (n > 1000000) return clip(std::exp(-std::pow(6.0 * nd * x + 1, 2) / 18.0 / nd));
  // Birnbaum–Tingey: x · Σ_{j ≤ n(1−x), strictly below when n(1−x) is whole} C(n, j) (1−x−j/n)^(n−j) (x+j/n)^(j−1),
  // every term positive, summed in long double from logarithms.
  const int64_t last = n - nxfl - 1;
  const long double lx = x, ln = static_cast<long double>(n), log_n_factorial = std::lgamma(ln + 1);
  long double sum = 0;
  for (int64_t j = 0; j <= last; ++j) {
    const long double lj = static_cast<long double>(j);
    const long double below = (ln - lj) / ln - lx, above = lx + lj / ln;
    if (below <= 0) break;
    const long double log_term = log_n_factorial - std::lgamma(lj + 1) - std::lgamma(ln - lj + 1) +
                                 (ln - lj) * std::log(below) + (lj - 1) * std::log(above);
    const long double term = std::exp(log_term);
    sum += term;
    if (term != 0 && 4 * static_cast<long double>(last - j) * term < 1e-19L * sum) break;
  }
  return clip(static_cast<double>(lx * sum));
}

double kstwo_sf(int64_t n, double x) {
  if (n <= 0 || std::isnan(x)) return std::nan("");
  const double nd = static_cast<double>(n);
  if (x <= 0.5 / nd) return 1.0;  // kstwo's support starts at 1/(2n)
  if (x >= 1.0) return 0.0;
  const double t = nd * x;
  if (t <= 1.0) {  // Ruben–Gambino: 1/(2n) < x ≤ 1/n
    double prob = 1.0;
    if (n <= 140) {
      for (int64_t i = 1; i <= n; ++i) prob *= static_cast<double>(i) * (1.0 / nd) * (2 * t - 1);
    } else {
      prob = std::exp(log_factorial_over_power(nd) + nd * std::log(2 * t - 1));
    }
    return clip(1.0 - prob);
  }
  if (t >= nd - 1) return clip(2 * std::pow(1.0 - x, nd));  // Ruben–Gambino
  if (x >= 0.5) return clip(2 * smirnov_sf(n, x));
  const double nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip(1.0 - clip(cdf_durbin(n, x)));
    if (nx2 <= 4) return clip(1.0 - clip(cdf_pomeranz(n, x)));
    return clip(2 * smirnov_sf(n, x));
  }
  if (nx2 >= 370.0) return 0.0;
  if (nx2 >= 2.2) return clip(2 * smirnov_sf(n, x));
  const double cdf = (n <= 100000 && nd * std::pow(x, 1.5) <= 1.4) ? cdf_durbin(n, x) : cdf_pelz_good(n, x);
  return clip(1.0 - cdf);
}

}  // namespace maas::data::prep
