#include "hpo/samplers/cma_es.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace maas::hpo {
namespace {

constexpr double kEpsilon = 1e-8;
constexpr double kSigmaMax = 1e32;
constexpr int kMaxResampling = 100;

// The eigenvalues and eigenvectors (columns of `vectors`) of the symmetric `a`, by cyclic Jacobi rotations: the
// matrices here are a study's parameter count across, so the simple method is exact enough and quick.
void symmetric_eigen(std::vector<std::vector<double>> a, std::vector<double>& values,
                     std::vector<std::vector<double>>& vectors) {
  const size_t n = a.size();
  vectors.assign(n, std::vector<double>(n, 0.0));
  for (size_t i = 0; i < n; ++i) vectors[i][i] = 1.0;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (size_t p = 0; p < n; ++p) {
      for (size_t q = p + 1; q < n; ++q) off += a[p][q] * a[p][q];
    }
    if (off < 1e-30) break;
    for (size_t p = 0; p < n; ++p) {
      for (size_t q = p + 1; q < n; ++q) {
        if (std::fabs(a[p][q]) < 1e-300) continue;
        const double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (size_t k = 0; k < n; ++k) {
          const double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (size_t k = 0; k < n; ++k) {
          const double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (size_t k = 0; k < n; ++k) {
          const double vkp = vectors[k][p], vkq = vectors[k][q];
          vectors[k][p] = c * vkp - s * vkq;
          vectors[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  values.resize(n);
  for (size_t i = 0; i < n; ++i) values[i] = a[i][i];
}

double norm(const std::vector<double>& v) { return std::sqrt(std::inner_product(v.begin(), v.end(), v.begin(), 0.0)); }

}  // namespace

CmaEs::CmaEs(std::vector<double> mean, double sigma, size_t population)
    : population_(population > 0 ? population
                                 : 4 + static_cast<size_t>(std::floor(3 * std::log(static_cast<double>(mean.size()))))),
      mu_(population_ / 2),
      mean_(std::move(mean)),
      sigma_(sigma) {
  const size_t n = mean_.size();
  const double dn = static_cast<double>(n);
  std::vector<double> prime(population_);
  for (size_t i = 0; i < population_; ++i) {
    prime[i] = std::log((static_cast<double>(population_) + 1) / 2) - std::log(static_cast<double>(i) + 1);
  }
  double sum_pos = 0, sum_pos_sq = 0, sum_neg = 0, sum_neg_sq = 0;
  for (size_t i = 0; i < population_; ++i) {
    (i < mu_ ? sum_pos : sum_neg) += prime[i];
    (i < mu_ ? sum_pos_sq : sum_neg_sq) += prime[i] * prime[i];
  }
  mu_eff_ = sum_pos * sum_pos / sum_pos_sq;
  const double mu_eff_minus = sum_neg_sq > 0 ? sum_neg * sum_neg / sum_neg_sq : 0;
  constexpr double kAlphaCov = 2;
  c1_ = kAlphaCov / (std::pow(dn + 1.3, 2) + mu_eff_);
  cmu_ = std::min(1 - c1_ - 1e-8,
                  kAlphaCov * (mu_eff_ - 2 + 1 / mu_eff_) / (std::pow(dn + 2, 2) + kAlphaCov * mu_eff_ / 2));
  const double min_alpha =
      std::min({1 + c1_ / cmu_, 1 + 2 * mu_eff_minus / (mu_eff_ + 2), (1 - c1_ - cmu_) / (dn * cmu_)});
  double positive = 0, negative = 0;
  for (double w : prime) (w >= 0 ? positive : negative) += std::fabs(w);
  weights_.resize(population_);
  for (size_t i = 0; i < population_; ++i) {
    weights_[i] = prime[i] >= 0 ? prime[i] / positive : min_alpha * prime[i] / negative;
  }
  c_sigma_ = (mu_eff_ + 2) / (dn + mu_eff_ + 5);
  d_sigma_ = 1 + 2 * std::max(0.0, std::sqrt((mu_eff_ - 1) / (dn + 1)) - 1) + c_sigma_;
  cc_ = (4 + mu_eff_ / dn) / (dn + 4 + 2 * mu_eff_ / dn);
  chi_n_ = std::sqrt(dn) * (1 - 1 / (4 * dn) + 1 / (21 * dn * dn));
  p_sigma_.assign(n, 0.0);
  pc_.assign(n, 0.0);
  c_.assign(n, std::vector<double>(n, 0.0));
  for (size_t i = 0; i < n; ++i) c_[i][i] = 1.0;
  decompose();
}

void CmaEs::decompose() {
  const size_t n = mean_.size();
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) c_[i][j] = c_[j][i] = (c_[i][j] + c_[j][i]) / 2;
  }
  std::vector<double> values;
  symmetric_eigen(c_, values, b_);
  d_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (values[i] < 0) values[i] = kEpsilon;
    d_[i] = std::sqrt(values[i]);
  }
  // C rebuilt from its clipped eigenvalues, as the cmaes package does, so that it stays positive definite.
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      double sum = 0;
      for (size_t k = 0; k < n; ++k) sum += b_[i][k] * values[k] * b_[j][k];
      c_[i][j] = sum;
    }
  }
}

std::vector<double> CmaEs::ask(std::mt19937_64& rng) const {
  const size_t n = mean_.size();
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> x(n);
  for (int attempt = 0; attempt < kMaxResampling; ++attempt) {
    std::vector<double> z(n);
    for (double& v : z) v = normal(rng);
    bool inside = true;
    for (size_t i = 0; i < n; ++i) {
      double y = 0;
      for (size_t k = 0; k < n; ++k) y += b_[i][k] * d_[k] * z[k];
      x[i] = mean_[i] + sigma_ * y;
      inside = inside && x[i] >= 0 && x[i] <= 1;
    }
    if (inside) return x;
  }
  for (double& v : x) v = std::clamp(v, 0.0, 1.0);
  return x;
}

void CmaEs::tell(std::vector<std::pair<std::vector<double>, double>> solutions) {
  const size_t n = mean_.size();
  ++generation_;
  std::stable_sort(solutions.begin(), solutions.end(),
                   [](const auto& a, const auto& b) { return a.second < b.second; });
  const size_t count = std::min(solutions.size(), population_);
  // y_k = (x_k - m) / sigma, and C^{-1/2} y_k.
  std::vector<std::vector<double>> y(count, std::vector<double>(n)), whitened(count, std::vector<double>(n, 0.0));
  for (size_t k = 0; k < count; ++k) {
    for (size_t i = 0; i < n; ++i) y[k][i] = (solutions[k].first[i] - mean_[i]) / sigma_;
  }
  const auto inverse_sqrt = [&](const std::vector<double>& v) {
    std::vector<double> bt(n, 0.0), out(n, 0.0);
    for (size_t k = 0; k < n; ++k) {
      for (size_t i = 0; i < n; ++i) bt[k] += b_[i][k] * v[i];
      bt[k] /= d_[k];
    }
    for (size_t i = 0; i < n; ++i) {
      for (size_t k = 0; k < n; ++k) out[i] += b_[i][k] * bt[k];
    }
    return out;
  };
  for (size_t k = 0; k < count; ++k) whitened[k] = inverse_sqrt(y[k]);
  std::vector<double> y_w(n, 0.0);
  for (size_t k = 0; k < std::min(mu_, count); ++k) {
    for (size_t i = 0; i < n; ++i) y_w[i] += weights_[k] * y[k][i];
  }
  for (size_t i = 0; i < n; ++i) mean_[i] += sigma_ * y_w[i];  // c_m = 1
  // Step size.
  const std::vector<double> c_inv_y_w = inverse_sqrt(y_w);
  const double ps_scale = std::sqrt(c_sigma_ * (2 - c_sigma_) * mu_eff_);
  for (size_t i = 0; i < n; ++i) p_sigma_[i] = (1 - c_sigma_) * p_sigma_[i] + ps_scale * c_inv_y_w[i];
  const double norm_p_sigma = norm(p_sigma_);
  sigma_ = std::min(sigma_ * std::exp((c_sigma_ / d_sigma_) * (norm_p_sigma / chi_n_ - 1)), kSigmaMax);
  // Covariance.
  const double left = norm_p_sigma / std::sqrt(1 - std::pow(1 - c_sigma_, 2 * (generation_ + 1)));
  const double right = (1.4 + 2 / (static_cast<double>(n) + 1)) * chi_n_;
  const double h_sigma = left < right ? 1.0 : 0.0;
  const double pc_scale = h_sigma * std::sqrt(cc_ * (2 - cc_) * mu_eff_);
  for (size_t i = 0; i < n; ++i) pc_[i] = (1 - cc_) * pc_[i] + pc_scale * y_w[i];
  std::vector<double> w_io(count);
  for (size_t k = 0; k < count; ++k) {
    const double nw = norm(whitened[k]);
    w_io[k] = weights_[k] * (weights_[k] >= 0 ? 1.0 : static_cast<double>(n) / (nw * nw + kEpsilon));
  }
  const double delta_h_sigma = (1 - h_sigma) * cc_ * (2 - cc_);
  const double weight_sum = std::accumulate(weights_.begin(), weights_.end(), 0.0);
  const double keep = 1 + c1_ * delta_h_sigma - c1_ - cmu_ * weight_sum;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      double rank_mu = 0;
      for (size_t k = 0; k < count; ++k) rank_mu += w_io[k] * y[k][i] * y[k][j];
      c_[i][j] = keep * c_[i][j] + c1_ * pc_[i] * pc_[j] + cmu_ * rank_mu;
    }
  }
  decompose();
}

}  // namespace maas::hpo
