#include "hpo/samplers/evolution.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "common/json_fields.h"
#include "hpo/options.h"
#include "hpo/random_sampler.h"
#include "hpo/samplers/perturb.h"
#include "hpo/samplers/sampler_options.h"
#include "hpo/samplers/unit_space.h"

namespace maas::hpo {
namespace {

// The finished trials a generation may breed from, with their (minimized) objective values.
struct Parent {
  const Trial* trial = nullptr;
  int rank = 0;
  double crowding = 0;
};

std::vector<Parent> survivors(const StudyView& study, int64_t before, size_t population) {
  std::vector<const Trial*> trials;
  std::vector<std::vector<double>> points;
  for (const auto& trial : study.trials) {
    if (trial.number >= before || trial.state != TrialState::kComplete) continue;
    if (trial.values.size() != study.directions.size()) continue;
    auto point = minimized(study.directions, trial.values);
    if (!std::all_of(point.begin(), point.end(), [](double v) { return std::isfinite(v); })) continue;
    trials.push_back(&trial);
    points.push_back(std::move(point));
  }
  const auto ranks = nondomination_ranks(points);
  std::vector<Parent> parents(trials.size());
  const int fronts = ranks.empty() ? 0 : *std::max_element(ranks.begin(), ranks.end()) + 1;
  for (int front = 0; front < fronts; ++front) {
    std::vector<size_t> members;
    for (size_t i = 0; i < ranks.size(); ++i) {
      if (ranks[i] == front) members.push_back(i);
    }
    const auto crowding = crowding_distances(points, members);
    for (size_t m = 0; m < members.size(); ++m) parents[members[m]] = {trials[members[m]], front, crowding[m]};
  }
  std::stable_sort(parents.begin(), parents.end(), [](const Parent& a, const Parent& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.crowding > b.crowding;
  });
  if (parents.size() > population) parents.resize(population);
  return parents;
}

const Parent& tournament(const std::vector<Parent>& parents, std::mt19937_64& rng) {
  std::uniform_int_distribution<size_t> pick(0, parents.size() - 1);
  const Parent& a = parents[pick(rng)];
  const Parent& b = parents[pick(rng)];
  if (a.rank != b.rank) return a.rank < b.rank ? a : b;
  return a.crowding >= b.crowding ? a : b;
}

// Simulated binary crossover of two unit coordinates (Deb and Agrawal), one child.
double sbx(double a, double b, double eta, std::mt19937_64& rng) {
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  const double beta = u <= 0.5 ? std::pow(2 * u, 1 / (eta + 1)) : std::pow(1 / (2 * (1 - u)), 1 / (eta + 1));
  const double sign = std::uniform_real_distribution<double>(0.0, 1.0)(rng) < 0.5 ? -1.0 : 1.0;
  return 0.5 * ((a + b) + sign * beta * (b - a));
}

}  // namespace

std::vector<int> nondomination_ranks(const std::vector<std::vector<double>>& points) {
  const size_t n = points.size();
  std::vector<int> rank(n, -1);
  std::vector<int> dominated_by(n, 0);
  std::vector<std::vector<size_t>> dominates_list(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      if (dominates(points[i], points[j])) {
        dominates_list[i].push_back(j);
      } else if (dominates(points[j], points[i])) {
        ++dominated_by[i];
      }
    }
  }
  std::vector<size_t> front;
  for (size_t i = 0; i < n; ++i) {
    if (dominated_by[i] == 0) front.push_back(i);
  }
  for (int r = 0; !front.empty(); ++r) {
    std::vector<size_t> next;
    for (const size_t i : front) {
      rank[i] = r;
      for (const size_t j : dominates_list[i]) {
        if (--dominated_by[j] == 0) next.push_back(j);
      }
    }
    front = std::move(next);
  }
  return rank;
}

std::vector<double> crowding_distances(const std::vector<std::vector<double>>& points,
                                       const std::vector<size_t>& members) {
  std::vector<double> distance(members.size(), 0.0);
  if (members.empty()) return distance;
  const size_t objectives = points[members[0]].size();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<size_t> order(members.size());
  for (size_t k = 0; k < objectives; ++k) {
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return points[members[a]][k] < points[members[b]][k]; });
    const double low = points[members[order.front()]][k];
    const double high = points[members[order.back()]][k];
    distance[order.front()] = distance[order.back()] = inf;
    if (high <= low) continue;
    for (size_t i = 1; i + 1 < order.size(); ++i) {
      distance[order[i]] += (points[members[order[i + 1]]][k] - points[members[order[i - 1]]][k]) / (high - low);
    }
  }
  return distance;
}

Result<nlohmann::json> EvolutionSampler::sample(const StudyView& study, int64_t number) const {
  const SearchSpace& space = *study.space;
  auto rng = trial_rng(options_.seed, number);
  const int64_t generation = number / options_.population_size;
  const auto parents = generation == 0 ? std::vector<Parent>{}
                                       : survivors(study, generation * options_.population_size,
                                                   static_cast<size_t>(options_.population_size));
  nlohmann::json child = nlohmann::json::object();
  if (parents.size() < 2) {
    fill_uniform(space, child, rng);
    return child;
  }
  const Trial& a = *tournament(parents, rng).trial;
  const Trial& b = *tournament(parents, rng).trial;
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  if (coin(rng) >= options_.crossover_probability) {
    child = a.params;
  } else {
    for (const auto& spec : space.params()) {
      const auto in_a = a.params.find(spec.name);
      const auto in_b = b.params.find(spec.name);
      if (in_a == a.params.end() && in_b == b.params.end()) continue;
      if (in_a == a.params.end() || in_b == b.params.end()) {
        child[spec.name] = in_a != a.params.end() ? *in_a : *in_b;
      } else if (options_.sbx && spec.type != ParamType::kCategorical) {
        child[spec.name] = from_unit(spec, sbx(to_unit(spec, *in_a), to_unit(spec, *in_b), options_.sbx_eta, rng));
      } else {
        child[spec.name] = coin(rng) < 0.5 ? *in_a : *in_b;
      }
    }
  }
  const double mutation = options_.mutation_probability >= 0
                              ? options_.mutation_probability
                              : 1.0 / static_cast<double>(std::max<size_t>(1, space.params().size()));
  return perturb(
      space, child,
      {.scale = 0, .numeric_probability = mutation, .categorical_probability = mutation, .resample_numeric = true},
      rng);
}

Result<std::unique_ptr<Sampler>> make_evolution_sampler(std::string_view name, const nlohmann::json& config,
                                                        size_t objectives, int64_t default_population,
                                                        bool single_objective) {
  MAAS_RETURN_IF_ERROR(check_known_fields(
      config, "sampler",
      {"name", "seed", "population_size", "crossover", "crossover_probability", "mutation_probability"}));
  if (single_objective) MAAS_RETURN_IF_ERROR(require_single_objective(name, objectives));
  EvolutionOptions options;
  MAAS_ASSIGN_OR_RETURN(options.seed, config_seed(config));
  MAAS_ASSIGN_OR_RETURN(options.population_size,
                        option_int(config, "sampler", "population_size", default_population, 2, 100000));
  MAAS_ASSIGN_OR_RETURN(options.crossover_probability,
                        option_number(config, "sampler", "crossover_probability", 0.9, 0, 1));
  MAAS_ASSIGN_OR_RETURN(options.mutation_probability,
                        option_number(config, "sampler", "mutation_probability", -1, -1, 1));
  if (const auto it = config.find("crossover"); it != config.end() && !it->is_null()) {
    if (*it != "uniform" && *it != "sbx") {
      return invalid_argument("'sampler.crossover' must be \"uniform\" or \"sbx\"");
    }
    options.sbx = *it == "sbx";
  }
  return std::unique_ptr<Sampler>(std::make_unique<EvolutionSampler>(name, options));
}

}  // namespace maas::hpo
