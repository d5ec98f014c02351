// make_sampler: the one table of sampler names. A new sampler is a row here.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <functional>

#include "hpo/random_sampler.h"
#include "hpo/sampler.h"
#include "hpo/samplers/cmaes_sampler.h"
#include "hpo/samplers/evolution.h"
#include "hpo/samplers/gp_sampler.h"
#include "hpo/samplers/grid_sampler.h"
#include "hpo/samplers/refine_sampler.h"
#include "hpo/samplers/sobol_sampler.h"
#include "hpo/samplers/tpe_sampler.h"

namespace maas::hpo {
namespace {

using Factory = std::function<Result<std::unique_ptr<Sampler>>(const nlohmann::json& config, const SearchSpace& space,
                                                               size_t objectives)>;

struct Entry {
  std::string_view name;
  Factory make;
};

constexpr size_t kSamplers = 9;

const std::array<Entry, kSamplers>& entries() {
  static const std::array<Entry, kSamplers> kTable = {{
      {"random", [](const nlohmann::json& c, const SearchSpace&, size_t) { return make_random_sampler(c); }},
      {"grid", [](const nlohmann::json& c, const SearchSpace& s, size_t) { return make_grid_sampler(c, s); }},
      {"sobol", [](const nlohmann::json& c, const SearchSpace& s, size_t) { return make_sobol_sampler(c, s); }},
      {"tpe", [](const nlohmann::json& c, const SearchSpace& s, size_t o) { return make_tpe_sampler(c, s, o); }},
      {"gp", [](const nlohmann::json& c, const SearchSpace& s, size_t o) { return make_gp_sampler(c, s, o); }},
      {"refine", [](const nlohmann::json& c, const SearchSpace& s, size_t o) { return make_refine_sampler(c, s, o); }},
      {"cmaes", [](const nlohmann::json& c, const SearchSpace& s, size_t o) { return make_cmaes_sampler(c, s, o); }},
      {"ga",
       [](const nlohmann::json& c, const SearchSpace&, size_t o) {
         return make_evolution_sampler("ga", c, o, /*default_population=*/20, /*single_objective=*/true);
       }},
      {"nsga2",
       [](const nlohmann::json& c, const SearchSpace&, size_t o) {
         return make_evolution_sampler("nsga2", c, o, /*default_population=*/50, /*single_objective=*/false);
       }},
  }};
  return kTable;
}

// What a study without a sampler gets.
constexpr std::string_view kDefaultSampler = "gp";

std::array<std::string_view, kSamplers> names_of_entries() {
  std::array<std::string_view, kSamplers> names{};
  for (size_t i = 0; i < entries().size(); ++i) names[i] = entries()[i].name;
  return names;
}

}  // namespace

std::span<const std::string_view> sampler_names() {
  static const auto names = names_of_entries();
  return names;
}

Result<std::unique_ptr<Sampler>> make_sampler(const nlohmann::json& config, const SearchSpace& space,
                                              size_t objectives) {
  if (!config.is_null() && !config.is_object()) return invalid_argument("'sampler' must be an object");
  std::string_view name = kDefaultSampler;
  nlohmann::json options = config.is_object() ? config : nlohmann::json::object();
  if (const auto it = options.find("name"); it != options.end()) {
    if (!it->is_string()) return invalid_argument("'sampler.name' must be a string");
    name = it->get_ref<const std::string&>();
  }
  for (const auto& entry : entries()) {
    if (entry.name == name) return entry.make(options, space, objectives);
  }
  return invalid_argument(fmt::format("unknown sampler '{}'; known: {}", name, fmt::join(sampler_names(), ", ")));
}

std::mt19937_64 trial_rng(uint64_t seed, int64_t number, uint64_t stream) {
  // splitmix64 over the three, so that nearby seeds and numbers give unrelated generators.
  auto mix = [](uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  const uint64_t state = mix(mix(mix(seed) ^ static_cast<uint64_t>(number)) ^ stream);
  std::seed_seq seq{static_cast<uint32_t>(state), static_cast<uint32_t>(state >> 32)};
  return std::mt19937_64(seq);
}

}  // namespace maas::hpo
