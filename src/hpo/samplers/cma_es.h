// CMA-ES (Hansen's tutorial, as the `cmaes` package Optuna's CmaEsSampler uses implements it: weighted
// recombination with negative weights for the worse half (active CMA), cumulative step-size adaptation, rank-one and
// rank-mu covariance updates) on the box [0, 1]^n: a state, a sampler of candidates and the update from one
// generation's evaluated candidates. Pure values; no I/O.
//
// Thread-safety: a CmaEs is a plain value; distinct instances may be used on distinct threads.
#pragma once

#include <cstddef>
#include <random>
#include <vector>

namespace maas::hpo {

class CmaEs {
 public:
  // Starts at `mean` with step size `sigma` and the identity covariance; `population` 0 picks 4 + floor(3 ln n).
  CmaEs(std::vector<double> mean, double sigma, size_t population = 0);

  size_t dimensions() const { return mean_.size(); }
  size_t population() const { return population_; }
  int generation() const { return generation_; }
  const std::vector<double>& mean() const { return mean_; }
  double sigma() const { return sigma_; }
  const std::vector<std::vector<double>>& covariance() const { return c_; }

  // A candidate from N(mean, sigma^2 C) inside [0, 1]^n: drawn again up to 100 times while outside, then clipped
  // (as the cmaes package does).
  std::vector<double> ask(std::mt19937_64& rng) const;
  // One generation: exactly population() candidates with their values (smaller is better), in any order.
  void tell(std::vector<std::pair<std::vector<double>, double>> solutions);

 private:
  using Matrix = std::vector<std::vector<double>>;
  // C = B diag(D^2) B^T, kept current after every tell.
  void decompose();

  size_t population_;
  size_t mu_;
  std::vector<double> weights_;
  double mu_eff_ = 0;
  double c_sigma_ = 0, d_sigma_ = 0, cc_ = 0, c1_ = 0, cmu_ = 0, chi_n_ = 0;
  std::vector<double> mean_;
  double sigma_;
  std::vector<double> p_sigma_, pc_;
  Matrix c_;
  Matrix b_;
  std::vector<double> d_;
  int generation_ = 0;
};

}  // namespace maas::hpo
