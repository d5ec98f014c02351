#include "hpo/samplers/gaussian_process.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>

namespace maas::hpo {
namespace {

constexpr double kSqrt5 = 2.23606797749979;
// Bounds on the hyperparameters' logs: length scales (inputs on [0, 1]), signal and noise variances (outputs
// standardized).
constexpr double kMinLogLength = -4.6;  // 0.01
constexpr double kMaxLogLength = 3.0;   // 20
constexpr double kMinLogSignal = -4.6;
constexpr double kMaxLogSignal = 4.6;
constexpr double kMinLogNoise = -16.0;  // 1e-7
constexpr double kMaxLogNoise = 0.0;
// A weak log-normal prior on each length scale, centred at 0.5: few points must not buy arbitrarily short scales.
constexpr double kPriorLogLength = -0.69;
constexpr double kPriorLogLengthWidth = 1.5;
constexpr int kIterations = 40;
constexpr int kHistory = 6;  // L-BFGS memory

struct Data {
  const std::vector<std::vector<double>>* x;
  const std::vector<double>* y;
  size_t dims;
};

// Negative log marginal likelihood (plus the length-scale prior) and its gradient at `theta` = (log length scales,
// log signal variance, log noise variance). Infinity when the kernel matrix is not positive definite.
double objective(const Data& data, const std::vector<double>& theta, std::vector<double>& gradient) {
  const auto& x = *data.x;
  const auto& y = *data.y;
  const size_t n = x.size();
  const size_t dims = data.dims;
  std::vector<double> inv_sq(dims);
  for (size_t d = 0; d < dims; ++d) inv_sq[d] = std::exp(-2 * theta[d]);
  const double signal = std::exp(theta[dims]);
  const double noise = std::exp(theta[dims + 1]);
  std::vector<double> k(n * n), r(n * n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j <= i; ++j) {
      double sq = 0;
      for (size_t d = 0; d < dims; ++d) {
        const double diff = x[i][d] - x[j][d];
        sq += diff * diff * inv_sq[d];
      }
      const double rr = std::sqrt(sq);
      const double value = signal * (1 + kSqrt5 * rr + 5.0 / 3.0 * sq) * std::exp(-kSqrt5 * rr);
      k[i * n + j] = k[j * n + i] = value;
      r[i * n + j] = r[j * n + i] = rr;
    }
  }
  std::vector<double> with_noise = k;
  for (size_t i = 0; i < n; ++i) with_noise[i * n + i] += noise + 1e-10;
  Cholesky chol;
  if (!chol.factor(with_noise, n)) return std::numeric_limits<double>::infinity();
  std::vector<double> alpha = y;
  chol.solve_lower(alpha);
  chol.solve_upper(alpha);
  double value = 0.5 * std::inner_product(y.begin(), y.end(), alpha.begin(), 0.0);
  for (size_t i = 0; i < n; ++i) value += std::log(chol.lower[i * n + i]);
  // W = alpha alpha^T - K^-1, from K^-1's columns.
  std::vector<double> w(n * n);
  std::vector<double> column(n);
  for (size_t j = 0; j < n; ++j) {
    std::fill(column.begin(), column.end(), 0.0);
    column[j] = 1;
    chol.solve_lower(column);
    chol.solve_upper(column);
    for (size_t i = 0; i < n; ++i) w[i * n + j] = alpha[i] * alpha[j] - column[i];
  }
  gradient.assign(dims + 2, 0.0);
  for (size_t i = 0; i < n; ++i) {
    gradient[dims + 1] -= 0.5 * w[i * n + i] * noise;
    for (size_t j = 0; j < n; ++j) {
      const double wij = w[i * n + j];
      gradient[dims] -= 0.5 * wij * k[i * n + j];
      if (j >= i) continue;
      // dK/dlog(l_d) = signal * 5/3 (1 + sqrt5 r) exp(-sqrt5 r) * diff_d^2 / l_d^2; off-diagonal pairs count twice.
      const double rr = r[i * n + j];
      const double common = signal * 5.0 / 3.0 * (1 + kSqrt5 * rr) * std::exp(-kSqrt5 * rr) * wij;
      for (size_t d = 0; d < dims; ++d) {
        const double diff = x[i][d] - x[j][d];
        gradient[d] -= common * diff * diff * inv_sq[d];
      }
    }
  }
  for (size_t d = 0; d < dims; ++d) {
    const double z = (theta[d] - kPriorLogLength) / kPriorLogLengthWidth;
    value += 0.5 * z * z;
    gradient[d] += z / kPriorLogLengthWidth;
  }
  return value;
}

void clamp_theta(std::vector<double>& theta, size_t dims) {
  for (size_t d = 0; d < dims; ++d) theta[d] = std::clamp(theta[d], kMinLogLength, kMaxLogLength);
  theta[dims] = std::clamp(theta[dims], kMinLogSignal, kMaxLogSignal);
  theta[dims + 1] = std::clamp(theta[dims + 1], kMinLogNoise, kMaxLogNoise);
}

// Projected L-BFGS with a backtracking line search: good enough for a dozen hyperparameters.
double minimize(const Data& data, std::vector<double>& theta) {
  const size_t m = theta.size();
  std::vector<double> gradient;
  double value = objective(data, theta, gradient);
  if (!std::isfinite(value)) return value;
  std::vector<std::vector<double>> s_hist, y_hist;
  for (int iteration = 0; iteration < kIterations; ++iteration) {
    // Two-loop recursion for the search direction.
    std::vector<double> q = gradient;
    std::vector<double> alphas(s_hist.size());
    for (size_t h = s_hist.size(); h-- > 0;) {
      const double rho = 1.0 / std::inner_product(y_hist[h].begin(), y_hist[h].end(), s_hist[h].begin(), 0.0);
      alphas[h] = rho * std::inner_product(s_hist[h].begin(), s_hist[h].end(), q.begin(), 0.0);
      for (size_t i = 0; i < m; ++i) q[i] -= alphas[h] * y_hist[h][i];
    }
    if (!s_hist.empty()) {
      const auto& s = s_hist.back();
      const auto& y = y_hist.back();
      const double scale = std::inner_product(s.begin(), s.end(), y.begin(), 0.0) /
                           std::inner_product(y.begin(), y.end(), y.begin(), 0.0);
      for (auto& v : q) v *= scale;
    } else {
      const double norm = std::sqrt(std::inner_product(q.begin(), q.end(), q.begin(), 0.0));
      for (auto& v : q) v /= std::max(norm, 1.0);
    }
    for (size_t h = 0; h < s_hist.size(); ++h) {
      const double rho = 1.0 / std::inner_product(y_hist[h].begin(), y_hist[h].end(), s_hist[h].begin(), 0.0);
      const double beta = rho * std::inner_product(y_hist[h].begin(), y_hist[h].end(), q.begin(), 0.0);
      for (size_t i = 0; i < m; ++i) q[i] += s_hist[h][i] * (alphas[h] - beta);
    }
    double step = 1.0;
    std::vector<double> next, next_gradient;
    double next_value = std::numeric_limits<double>::infinity();
    for (int tries = 0; tries < 20; ++tries, step *= 0.5) {
      next = theta;
      for (size_t i = 0; i < m; ++i) next[i] -= step * q[i];
      clamp_theta(next, data.dims);
      next_value = objective(data, next, next_gradient);
      if (next_value < value - 1e-10) break;
    }
    if (!(next_value < value - 1e-10)) break;
    std::vector<double> s(m), y(m);
    for (size_t i = 0; i < m; ++i) {
      s[i] = next[i] - theta[i];
      y[i] = next_gradient[i] - gradient[i];
    }
    const double sy = std::inner_product(s.begin(), s.end(), y.begin(), 0.0);
    if (sy > 1e-12) {
      s_hist.push_back(std::move(s));
      y_hist.push_back(std::move(y));
      if (s_hist.size() > static_cast<size_t>(kHistory)) {
        s_hist.erase(s_hist.begin());
        y_hist.erase(y_hist.begin());
      }
    }
    const bool converged = value - next_value < 1e-7 * std::max(1.0, std::fabs(value));
    theta = std::move(next);
    gradient = std::move(next_gradient);
    value = next_value;
    if (converged) break;
  }
  return value;
}

}  // namespace

bool Cholesky::factor(const std::vector<double>& matrix, size_t size) {
  n = size;
  lower.assign(n * n, 0.0);
  for (size_t j = 0; j < n; ++j) {
    double diagonal = matrix[j * n + j];
    for (size_t k = 0; k < j; ++k) diagonal -= lower[j * n + k] * lower[j * n + k];
    if (!(diagonal > 0)) return false;
    const double root = std::sqrt(diagonal);
    lower[j * n + j] = root;
    for (size_t i = j + 1; i < n; ++i) {
      double sum = matrix[i * n + j];
      for (size_t k = 0; k < j; ++k) sum -= lower[i * n + k] * lower[j * n + k];
      lower[i * n + j] = sum / root;
    }
  }
  return true;
}

void Cholesky::solve_lower(std::vector<double>& b) const {
  for (size_t i = 0; i < n; ++i) {
    double sum = b[i];
    for (size_t k = 0; k < i; ++k) sum -= lower[i * n + k] * b[k];
    b[i] = sum / lower[i * n + i];
  }
}

void Cholesky::solve_upper(std::vector<double>& b) const {
  for (size_t i = n; i-- > 0;) {
    double sum = b[i];
    for (size_t k = i + 1; k < n; ++k) sum -= lower[k * n + i] * b[k];
    b[i] = sum / lower[i * n + i];
  }
}

GaussianProcess::GaussianProcess(std::vector<std::vector<double>> x, const std::vector<double>& y, int restarts,
                                 uint64_t seed)
    : x_(std::move(x)) {
  const size_t n = x_.size();
  const size_t dims = n == 0 ? 0 : x_[0].size();
  y_mean_ = n == 0 ? 0 : std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
  double variance = 0;
  for (const double v : y) variance += (v - y_mean_) * (v - y_mean_);
  y_scale_ = n > 1 ? std::sqrt(variance / static_cast<double>(n)) : 1.0;
  if (!(y_scale_ > 1e-12)) y_scale_ = 1.0;
  std::vector<double> standardized(n);
  for (size_t i = 0; i < n; ++i) standardized[i] = (y[i] - y_mean_) / y_scale_;

  const Data data{&x_, &standardized, dims};
  std::vector<double> best(dims + 2, kPriorLogLength);
  best[dims] = 0;
  best[dims + 1] = std::log(1e-3);
  double best_value = n == 0 ? 0 : minimize(data, best);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> length(std::log(0.05), std::log(2.0));
  for (int r = 0; r < restarts && n > 0; ++r) {
    std::vector<double> theta(dims + 2);
    for (size_t d = 0; d < dims; ++d) theta[d] = length(rng);
    theta[dims] = 0;
    theta[dims + 1] = std::log(1e-4);
    const double value = minimize(data, theta);
    if (value < best_value || !std::isfinite(best_value)) {
      best_value = value;
      best = theta;
    }
  }
  length_scales_.resize(dims);
  for (size_t d = 0; d < dims; ++d) length_scales_[d] = std::exp(best[d]);
  signal_variance_ = std::exp(best[dims]);
  noise_variance_ = std::exp(best[dims + 1]);
  // The final factorization, with more jitter each time the matrix is not positive definite.
  for (double jitter = 1e-10;; jitter *= 10) {
    std::vector<double> matrix(n * n);
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = 0; j < n; ++j) matrix[i * n + j] = kernel(x_[i], x_[j]);
      matrix[i * n + i] += noise_variance_ + jitter;
    }
    if (cholesky_.factor(matrix, n) || jitter > 1) break;
  }
  alpha_ = standardized;
  cholesky_.solve_lower(alpha_);
  cholesky_.solve_upper(alpha_);
}

double GaussianProcess::kernel(const std::vector<double>& a, const std::vector<double>& b) const {
  double sq = 0;
  for (size_t d = 0; d < length_scales_.size(); ++d) {
    const double diff = (a[d] - b[d]) / length_scales_[d];
    sq += diff * diff;
  }
  const double r = std::sqrt(sq);
  return signal_variance_ * (1 + kSqrt5 * r + 5.0 / 3.0 * sq) * std::exp(-kSqrt5 * r);
}

void GaussianProcess::predict(const std::vector<double>& point, double& mean, double& stddev) const {
  const size_t n = x_.size();
  std::vector<double> k(n);
  for (size_t i = 0; i < n; ++i) k[i] = kernel(point, x_[i]);
  const double m = std::inner_product(k.begin(), k.end(), alpha_.begin(), 0.0);
  cholesky_.solve_lower(k);
  const double variance = signal_variance_ - std::inner_product(k.begin(), k.end(), k.begin(), 0.0);
  mean = y_mean_ + y_scale_ * m;
  stddev = y_scale_ * std::sqrt(std::max(variance, 1e-12));
}

}  // namespace maas::hpo
