// The Parzen estimator of Optuna 3.1's TPE: a weighted mixture with one kernel per observation plus a prior kernel,
// over a group of parameters in internal form (truncated Gaussians for numeric parameters, smoothed one-hots for
// categorical ones). Built once per sample call; immutable after construction.
#pragma once

#include <random>
#include <vector>

#include "hpo/search_space.h"

namespace maas::hpo {

struct ParzenOptions {
  double prior_weight = 1.0;
  bool consider_magic_clip = true;
  bool consider_endpoints = false;
  // Bandwidths from Scott's rule over the group (multivariate TPE) instead of each kernel's neighbours.
  bool multivariate = true;
};

class ParzenEstimator {
 public:
  // `observations[i][d]`: observation i's parameter params[d] in internal form, in trial order (weights ramp up
  // with recency as Optuna's default_weights).
  ParzenEstimator(std::vector<const ParamSpec*> params, const std::vector<std::vector<double>>& observations,
                  const ParzenOptions& options);
  // A point drawn from the mixture, each coordinate a valid value's internal form.
  std::vector<double> sample(std::mt19937_64& rng) const;
  double log_pdf(const std::vector<double>& point) const;

 private:
  struct Dimension {
    const ParamSpec* spec = nullptr;
    double low = 0, high = 1, step = 0;            // the Parzen bounds
    std::vector<double> mus, sigmas;               // numeric: one per kernel
    std::vector<std::vector<double>> categorical;  // categorical: kernel -> probability of each choice
  };
  std::vector<double> log_weights_;
  std::vector<double> weights_;
  std::vector<Dimension> dimensions_;
};

}  // namespace maas::hpo
