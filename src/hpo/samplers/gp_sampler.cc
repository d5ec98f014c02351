#include "hpo/samplers/gp_sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "common/json_fields.h"
#include "hpo/options.h"
#include "hpo/random_sampler.h"
#include "hpo/samplers/gaussian_process.h"
#include "hpo/samplers/perturb.h"
#include "hpo/samplers/sampler_options.h"
#include "hpo/samplers/unit_space.h"

namespace maas::hpo {
namespace {

constexpr size_t kIncumbents = 5;  // the best trials perturbed for candidates
constexpr size_t kRefined = 5;     // the best candidates refined by local search
constexpr int kRefineSteps = 30;
// How far (root-mean-square over the model's coordinates) a stalled search looks from the incumbent.
constexpr double kStallRadius = 0.25;

// The model's input for `params`: one coordinate per numeric parameter (its unit coordinate; 0.5 when inactive),
// one per choice of each categorical parameter (one-hot; all 0 when inactive).
std::vector<double> features(const SearchSpace& space, const nlohmann::json& params) {
  std::vector<double> out;
  for (const auto& spec : space.params()) {
    const auto it = params.find(spec.name);
    if (spec.type == ParamType::kCategorical) {
      const size_t at = out.size();
      out.resize(at + spec.choices.size(), 0.0);
      if (it != params.end()) out[at + static_cast<size_t>(std::llround(spec.to_internal(*it)))] = 1.0;
    } else {
      out.push_back(it == params.end() ? 0.5 : to_unit(spec, *it));
    }
  }
  return out;
}

// log of the expected improvement below `best` of a Gaussian (mean, stddev), accurate far in the tail too.
double log_expected_improvement(double mean, double stddev, double best) {
  const double z = (best - mean) / stddev;
  const double log_pdf = -0.5 * z * z - 0.5 * std::log(2 * M_PI);
  if (z > -6) {
    const double cdf = 0.5 * std::erfc(-z / std::sqrt(2.0));
    return std::log(stddev) + std::log(std::max(z * cdf + std::exp(log_pdf), 1e-300));
  }
  // z Phi(z) + phi(z) ~ phi(z) / z^2 as z -> -inf.
  return std::log(stddev) + log_pdf - 2 * std::log(-z);
}

// A local move of Gaussian step `scale`: categoricals change rarely, more often for larger steps.
PerturbOptions local_step(double scale) {
  return {.scale = scale, .numeric_probability = 1.0, .categorical_probability = std::min(0.5, 2 * scale)};
}

// The trials the model sees: all of them, or past `cap` the best quarter and the most recent.
std::vector<ScoredTrial> history(std::vector<ScoredTrial> scored, size_t cap) {
  if (scored.size() <= cap) return scored;
  std::vector<size_t> order(scored.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scored[a].score < scored[b].score; });
  std::vector<bool> keep(scored.size(), false);
  const size_t best = cap / 4;
  for (size_t i = 0; i < best; ++i) keep[order[i]] = true;
  size_t kept = best;
  for (size_t i = scored.size(); i-- > 0 && kept < cap;) {
    if (!keep[i]) {
      keep[i] = true;
      ++kept;
    }
  }
  std::vector<ScoredTrial> out;
  for (size_t i = 0; i < scored.size(); ++i) {
    if (keep[i]) out.push_back(scored[i]);
  }
  return out;
}

// Whether the last `patience` trials failed to beat the ones before them by more than a thousandth of the values'
// spread (polishing the same basin in the fifth digit is not progress).
bool is_stalled(const std::vector<ScoredTrial>& scored, size_t patience) {
  if (scored.size() <= 2 * patience) return false;
  const double inf = std::numeric_limits<double>::infinity();
  double before = inf, recent = inf, low = inf, high = -inf;
  for (size_t i = 0; i < scored.size(); ++i) {
    const double v = scored[i].score;
    double& window = i + patience < scored.size() ? before : recent;
    window = std::min(window, v);
    low = std::min(low, v);
    high = std::max(high, v);
  }
  return recent > before - 1e-3 * (high - low);
}

}  // namespace

GpSampler::GpSampler(const SearchSpace& space, GpOptions options) : options_(options), startup_(space, options.seed) {}

Result<nlohmann::json> GpSampler::sample(const StudyView& study, int64_t number) const {
  const auto scored = history(scored_trials(study), static_cast<size_t>(options_.max_history));
  if (static_cast<int64_t>(scored.size()) < options_.n_startup_trials || scored.size() < 2) {
    return startup_.sample(study, number);
  }
  const SearchSpace& space = *study.space;
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  for (const auto& s : scored) {
    x.push_back(features(space, s.trial->params));
    y.push_back(s.score);
  }
  const GaussianProcess gp(x, y, static_cast<int>(options_.restarts), trial_rng(options_.seed, number, 1)());
  const double best = *std::min_element(y.begin(), y.end());
  // Stalled (no better trial for `patience` trials): EI keeps polishing the incumbent's basin, so look only farther
  // away from it, where another basin may be lower (Hartmann-6's local minimum at -3.20 traps plain EI).
  const auto all = scored_trials(study);
  const auto incumbent = features(space, best_of(all)->trial->params);
  const bool stalled = is_stalled(all, static_cast<size_t>(options_.patience));
  auto score = [&](const nlohmann::json& params) {
    const auto point = features(space, params);
    if (stalled) {
      double sq = 0;
      for (size_t d = 0; d < point.size(); ++d) sq += (point[d] - incumbent[d]) * (point[d] - incumbent[d]);
      if (std::sqrt(sq / static_cast<double>(point.size())) < kStallRadius) return -1e300;
    }
    double mean = 0, stddev = 0;
    gp.predict(point, mean, stddev);
    return log_expected_improvement(mean, stddev, best);
  };
  auto rng = trial_rng(options_.seed, number, 2);
  std::vector<std::pair<double, nlohmann::json>> candidates;
  for (int64_t c = 0; c < options_.n_candidates; ++c) {
    nlohmann::json params = nlohmann::json::object();
    fill_uniform(space, params, rng);
    candidates.emplace_back(score(params), std::move(params));
  }

  std::vector<size_t> order(scored.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scored[a].score < scored[b].score; });
  for (size_t i = 0; i < std::min(kIncumbents, order.size()); ++i) {
    for (const double scale : {0.01, 0.05, 0.2}) {
      for (int c = 0; c < 20; ++c) {
        auto params = perturb(space, scored[order[i]].trial->params, local_step(scale), rng);
        candidates.emplace_back(score(params), std::move(params));
      }
    }
  }
  std::partial_sort(candidates.begin(),
                    candidates.begin() + static_cast<ptrdiff_t>(std::min(kRefined, candidates.size())),
                    candidates.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; i < std::min(kRefined, candidates.size()); ++i) {
    double scale = 0.05;
    for (int step = 0; step < kRefineSteps; ++step) {
      auto params = perturb(space, candidates[i].second, local_step(scale), rng);
      const double value = score(params);
      if (value > candidates[i].first) {
        candidates[i] = {value, std::move(params)};
      } else {
        scale = std::max(scale * 0.8, 1e-4);
      }
    }
  }
  const auto chosen = std::max_element(
      candidates.begin(), candidates.begin() + static_cast<ptrdiff_t>(std::min(kRefined, candidates.size())),
      [](const auto& a, const auto& b) { return a.first < b.first; });
  return chosen->second;
}

Result<std::unique_ptr<Sampler>> make_gp_sampler(const nlohmann::json& config, const SearchSpace& space,
                                                 size_t objectives) {
  MAAS_RETURN_IF_ERROR(check_known_fields(
      config, "sampler", {"name", "seed", "n_startup_trials", "max_history", "n_candidates", "restarts", "patience"}));
  MAAS_RETURN_IF_ERROR(require_single_objective("gp", objectives));
  GpOptions options;
  MAAS_ASSIGN_OR_RETURN(options.seed, config_seed(config));
  MAAS_ASSIGN_OR_RETURN(options.n_startup_trials, option_int(config, "sampler", "n_startup_trials", 10, 2, 100000));
  // The caps bound one ask to seconds: each likelihood evaluation of the fit is cubic in the history and repeated
  // for every restart, and every candidate is scored against the whole history (docs/HPO.md).
  MAAS_ASSIGN_OR_RETURN(options.max_history, option_int(config, "sampler", "max_history", 100, 10, kGpMaxHistory));
  MAAS_ASSIGN_OR_RETURN(options.n_candidates, option_int(config, "sampler", "n_candidates", 1000, 1, kGpMaxCandidates));
  MAAS_ASSIGN_OR_RETURN(options.restarts, option_int(config, "sampler", "restarts", 2, 0, kGpMaxRestarts));
  MAAS_ASSIGN_OR_RETURN(options.patience, option_int(config, "sampler", "patience", 15, 1, 100000));
  return std::unique_ptr<Sampler>(std::make_unique<GpSampler>(space, options));
}

}  // namespace maas::hpo
