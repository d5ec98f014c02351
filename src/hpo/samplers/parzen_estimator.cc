#include "hpo/samplers/parzen_estimator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "hpo/samplers/unit_space.h"

namespace maas::hpo {
namespace {

constexpr double kSigma0Magnitude = 0.2;  // Optuna's SIGMA0_MAGNITUDE
constexpr double kEps = 1e-12;
constexpr int kMaxRejections = 1000;

// Optuna's default_weights: equal below 25 observations, then a ramp from 1/n for the oldest to 1 for the 25 newest.
std::vector<double> default_weights(size_t n) {
  std::vector<double> w(n, 1.0);
  if (n < 25) return w;
  const size_t ramp = n - 25;
  for (size_t i = 0; i < ramp; ++i) {
    const double start = 1.0 / static_cast<double>(n);
    w[i] = ramp == 1 ? start : start + (1.0 - start) * static_cast<double>(i) / static_cast<double>(ramp - 1);
  }
  return w;
}

// log(Phi(b) - Phi(a)) for a <= b, accurate in both tails.
double log_gauss_mass(double a, double b) {
  double mass = 0;
  if (a >= 0) {
    mass = 0.5 * (std::erfc(a / std::sqrt(2.0)) - std::erfc(b / std::sqrt(2.0)));
  } else if (b <= 0) {
    mass = 0.5 * (std::erfc(-b / std::sqrt(2.0)) - std::erfc(-a / std::sqrt(2.0)));
  } else {
    mass = 1.0 - 0.5 * std::erfc(-a / std::sqrt(2.0)) - 0.5 * std::erfc(b / std::sqrt(2.0));
  }
  return std::log(std::max(mass, std::numeric_limits<double>::min()));
}

}  // namespace

ParzenEstimator::ParzenEstimator(std::vector<const ParamSpec*> params,
                                 const std::vector<std::vector<double>>& observations, const ParzenOptions& options) {
  const size_t n = observations.size();
  weights_ = default_weights(n);
  weights_.push_back(options.prior_weight);
  const double total = std::accumulate(weights_.begin(), weights_.end(), 0.0);
  for (auto& w : weights_) {
    w /= total;
    log_weights_.push_back(std::log(std::max(w, kEps)));
  }
  const double sigma0 = kSigma0Magnitude * std::pow(static_cast<double>(std::max<size_t>(n, 1)),
                                                    -1.0 / (static_cast<double>(params.size()) + 4));
  for (size_t d = 0; d < params.size(); ++d) {
    Dimension dim;
    dim.spec = params[d];
    if (dim.spec->type == ParamType::kCategorical) {
      const size_t choices = dim.spec->choices.size();
      const double base = options.prior_weight / static_cast<double>(n + 1);
      for (size_t i = 0; i <= n; ++i) {
        std::vector<double> probabilities(choices, base);
        if (i < n) probabilities[static_cast<size_t>(std::llround(observations[i][d]))] += 1;
        const double sum = std::accumulate(probabilities.begin(), probabilities.end(), 0.0);
        for (auto& p : probabilities) p /= sum;
        dim.categorical.push_back(std::move(probabilities));
      }
      dimensions_.push_back(std::move(dim));
      continue;
    }
    const auto range = internal_range(*dim.spec);
    dim.low = range.low;
    dim.high = range.high;
    dim.step = dim.spec->log ? 0.0 : range.step;
    const double width = dim.high - dim.low;
    for (const auto& observation : observations) dim.mus.push_back(observation[d]);
    dim.mus.push_back(0.5 * (dim.low + dim.high));
    dim.sigmas.assign(n + 1, sigma0 * width);
    if (!options.multivariate) {
      // Each kernel as wide as the larger gap to its sorted neighbours (the space's ends count as neighbours).
      std::vector<size_t> order(n + 1);
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return dim.mus[a] < dim.mus[b]; });
      std::vector<double> sorted{dim.low};
      for (const size_t i : order) sorted.push_back(dim.mus[i]);
      sorted.push_back(dim.high);
      const size_t k = order.size();
      for (size_t j = 0; j < k; ++j) {
        double sigma = std::max(sorted[j + 1] - sorted[j], sorted[j + 2] - sorted[j + 1]);
        if (!options.consider_endpoints && sorted.size() >= 4) {
          if (j == 0) sigma = sorted[2] - sorted[1];
          if (j == k - 1) sigma = sorted[k] - sorted[k - 1];
        }
        dim.sigmas[order[j]] = sigma;
      }
    }
    const double min_sigma =
        options.consider_magic_clip ? width / std::min(100.0, 1.0 + static_cast<double>(n + 1)) : kEps;
    for (auto& sigma : dim.sigmas) sigma = std::clamp(sigma, min_sigma, width);
    dim.sigmas[n] = width;  // the prior kernel covers the whole range
    dimensions_.push_back(std::move(dim));
  }
}

std::vector<double> ParzenEstimator::sample(std::mt19937_64& rng) const {
  const size_t kernel = std::discrete_distribution<size_t>(weights_.begin(), weights_.end())(rng);
  std::vector<double> point;
  for (const auto& dim : dimensions_) {
    if (dim.spec->type == ParamType::kCategorical) {
      const auto& p = dim.categorical[kernel];
      point.push_back(static_cast<double>(std::discrete_distribution<size_t>(p.begin(), p.end())(rng)));
      continue;
    }
    std::normal_distribution<double> gauss(dim.mus[kernel], dim.sigmas[kernel]);
    double x = gauss(rng);
    for (int tries = 0; (x < dim.low || x > dim.high) && tries < kMaxRejections; ++tries) x = gauss(rng);
    x = std::clamp(x, dim.low, dim.high);
    // Snap to a value of the space, as Optuna rounds samples before scoring them.
    point.push_back(dim.spec->to_internal(dim.spec->from_internal(x)));
  }
  return point;
}

double ParzenEstimator::log_pdf(const std::vector<double>& point) const {
  std::vector<double> terms = log_weights_;
  for (size_t d = 0; d < dimensions_.size(); ++d) {
    const auto& dim = dimensions_[d];
    const double x = point[d];
    for (size_t k = 0; k < terms.size(); ++k) {
      if (dim.spec->type == ParamType::kCategorical) {
        terms[k] += std::log(std::max(dim.categorical[k][static_cast<size_t>(std::llround(x))], kEps));
        continue;
      }
      const double mu = dim.mus[k];
      const double sigma = dim.sigmas[k];
      const double log_accept = log_gauss_mass((dim.low - mu) / sigma, (dim.high - mu) / sigma);
      if (dim.step > 0) {
        const double upper = std::min(x + dim.step / 2, dim.high);
        const double lower = std::max(x - dim.step / 2, dim.low);
        terms[k] += log_gauss_mass((lower - mu) / sigma, (upper - mu) / sigma) - log_accept;
      } else {
        // Optuna 3.1 scores the standardized density, without the 1/sigma of the change of variable: narrow
        // kernels do not outweigh wide ones. Kept so that maas's TPE makes the choices Optuna's does.
        const double z = (x - mu) / sigma;
        terms[k] += -0.5 * z * z - 0.5 * std::log(2 * M_PI) - log_accept;
      }
    }
  }
  const double top = *std::max_element(terms.begin(), terms.end());
  double sum = 0;
  for (const double t : terms) sum += std::exp(t - top);
  return top + std::log(sum);
}

}  // namespace maas::hpo
