#include "hpo/samplers/tpe_sampler.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>

#include "common/json_fields.h"
#include "hpo/options.h"
#include "hpo/random_sampler.h"
#include "hpo/samplers/sampler_options.h"
#include "hpo/samplers/unit_space.h"

namespace maas::hpo {
namespace {

// A finished trial as TPE ranks it: (step key, value), smaller is better; complete trials have step key -inf.
struct Observation {
  const Trial* trial = nullptr;
  double step_key = 0;
  double value = 0;
};

std::vector<Observation> observations(const StudyView& study) {
  std::vector<Observation> out;
  const double inf = std::numeric_limits<double>::infinity();
  for (const auto& trial : study.trials) {
    if (trial.state == TrialState::kComplete && !trial.values.empty()) {
      const double value = minimized(study, 0, trial.values[0]);
      out.push_back({&trial, -inf, std::isnan(value) ? inf : value});
    } else if (trial.state == TrialState::kPruned) {
      if (trial.intermediate.empty()) {
        out.push_back({&trial, 1, 0});
      } else {
        const auto& [step, value] = trial.intermediate.back();
        const double v = minimized(study, 0, value);
        out.push_back({&trial, -static_cast<double>(step), std::isnan(v) ? inf : v});
      }
    }
  }
  return out;
}

// Optuna's default_gamma: how many observations are "good".
size_t default_gamma(size_t n) {
  return std::min<size_t>(static_cast<size_t>(std::ceil(0.1 * static_cast<double>(n))), 25);
}

std::vector<std::vector<const ParamSpec*>> condition_groups(const SearchSpace& space, bool multivariate) {
  std::vector<std::vector<const ParamSpec*>> groups;
  std::vector<std::pair<std::optional<std::string>, std::vector<nlohmann::json>>> keys;
  for (const auto& spec : space.params()) {
    const auto key = std::make_pair(spec.parent, spec.parent_values);
    const auto it = std::find(keys.begin(), keys.end(), key);
    if (multivariate && it != keys.end()) {
      groups[static_cast<size_t>(it - keys.begin())].push_back(&spec);
    } else {
      keys.push_back(key);
      groups.push_back({&spec});
    }
  }
  return groups;
}

}  // namespace

TpeSampler::TpeSampler(const SearchSpace& space, TpeOptions options)
    : options_(options), groups_(condition_groups(space, options.parzen.multivariate)) {}

Result<nlohmann::json> TpeSampler::sample(const StudyView& study, int64_t number) const {
  nlohmann::json params = nlohmann::json::object();
  auto all = observations(study);
  if (static_cast<int64_t>(all.size()) < options_.n_startup_trials) {
    auto rng = trial_rng(options_.seed, number);
    fill_uniform(*study.space, params, rng);
    return params;
  }
  // Split into the good (below) and the rest (above), each kept in trial order.
  std::vector<size_t> order(all.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(all[a].step_key, all[a].value) < std::tie(all[b].step_key, all[b].value);
  });
  const size_t n_below = default_gamma(all.size());
  std::vector<bool> is_below(all.size(), false);
  for (size_t i = 0; i < n_below; ++i) is_below[order[i]] = true;

  for (size_t g = 0; g < groups_.size(); ++g) {
    const auto& group = groups_[g];
    if (!study.space->active(*group.front(), params)) continue;
    std::vector<std::vector<double>> below, above;
    for (size_t i = 0; i < all.size(); ++i) {
      std::vector<double> point;
      for (const auto* spec : group) {
        const auto it = all[i].trial->params.find(spec->name);
        if (it == all[i].trial->params.end()) break;
        point.push_back(spec->to_internal(*it));
      }
      if (point.size() != group.size()) continue;
      (is_below[i] ? below : above).push_back(std::move(point));
    }
    const ParzenEstimator good(group, below, options_.parzen);
    const ParzenEstimator rest(group, above, options_.parzen);
    auto rng = trial_rng(options_.seed, number, g + 1);
    std::vector<double> best;
    double best_score = -std::numeric_limits<double>::infinity();
    for (int64_t c = 0; c < options_.n_ei_candidates; ++c) {
      auto candidate = good.sample(rng);
      const double score = good.log_pdf(candidate) - rest.log_pdf(candidate);
      if (best.empty() || score > best_score) {
        best_score = score;
        best = std::move(candidate);
      }
    }
    for (size_t d = 0; d < group.size(); ++d) params[group[d]->name] = group[d]->from_internal(best[d]);
  }
  auto rng = trial_rng(options_.seed, number);
  fill_uniform(*study.space, params, rng);
  return params;
}

Result<std::unique_ptr<Sampler>> make_tpe_sampler(const nlohmann::json& config, const SearchSpace& space,
                                                  size_t objectives) {
  MAAS_RETURN_IF_ERROR(check_known_fields(config, "sampler",
                                          {"name", "seed", "n_startup_trials", "n_ei_candidates", "multivariate",
                                           "prior_weight", "consider_magic_clip", "consider_endpoints"}));
  MAAS_RETURN_IF_ERROR(require_single_objective("tpe", objectives));
  TpeOptions options;
  MAAS_ASSIGN_OR_RETURN(options.seed, config_seed(config));
  MAAS_ASSIGN_OR_RETURN(options.n_startup_trials, option_int(config, "sampler", "n_startup_trials", 10, 0, 100000));
  MAAS_ASSIGN_OR_RETURN(options.n_ei_candidates, option_int(config, "sampler", "n_ei_candidates", 24, 1, 100000));
  MAAS_ASSIGN_OR_RETURN(options.parzen.multivariate, option_bool(config, "sampler", "multivariate", false));
  MAAS_ASSIGN_OR_RETURN(options.parzen.prior_weight, option_number(config, "sampler", "prior_weight", 1.0, 1e-9, 1e9));
  MAAS_ASSIGN_OR_RETURN(options.parzen.consider_magic_clip,
                        option_bool(config, "sampler", "consider_magic_clip", true));
  MAAS_ASSIGN_OR_RETURN(options.parzen.consider_endpoints, option_bool(config, "sampler", "consider_endpoints", false));
  return std::unique_ptr<Sampler>(std::make_unique<TpeSampler>(space, options));
}

}  // namespace maas::hpo
