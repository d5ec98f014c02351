// A Gaussian-process regressor for Bayesian optimization: Matérn 5/2 kernel with one length scale per input (ARD),
// a signal variance and a noise variance, fitted by maximizing the log marginal likelihood (L-BFGS from a few
// starting points, analytic gradients). Inputs are points in [0, 1]^d, outputs standardized inside. Not
// thread-safe to build; immutable (safe to share) once fitted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace maas::hpo {

// A symmetric positive-definite matrix's lower Cholesky factor, row-major n x n.
struct Cholesky {
  size_t n = 0;
  std::vector<double> lower;
  // Factors `matrix` (row-major n x n); false when it is not positive definite.
  bool factor(const std::vector<double>& matrix, size_t size);
  // Solves L x = b in place, and L^T x = b.
  void solve_lower(std::vector<double>& b) const;
  void solve_upper(std::vector<double>& b) const;
};

class GaussianProcess {
 public:
  // Fits to `x` (n points of `dimensions` coordinates) and `y` (n values). `restarts` extra starting points for
  // the hyperparameters beyond the default one, drawn from `seed`.
  GaussianProcess(std::vector<std::vector<double>> x, const std::vector<double>& y, int restarts, uint64_t seed);

  // The posterior mean and standard deviation of the latent function at `point`, in the units of y.
  void predict(const std::vector<double>& point, double& mean, double& stddev) const;
  double length_scale(size_t dimension) const { return length_scales_[dimension]; }

 private:
  double kernel(const std::vector<double>& a, const std::vector<double>& b) const;

  std::vector<std::vector<double>> x_;
  double y_mean_ = 0;
  double y_scale_ = 1;
  std::vector<double> length_scales_;
  double signal_variance_ = 1;
  double noise_variance_ = 1e-6;
  Cholesky cholesky_;
  std::vector<double> alpha_;  // K^-1 y (standardized)
};

}  // namespace maas::hpo
