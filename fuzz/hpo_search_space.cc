// HPO search spaces (a study's "space"): parsed, written back, and used as a study uses one: uniform samples checked
// against the space, the grid of its values, and the internal scale of each sampled value.
#include <random>

#include "fuzz_input.h"
#include "hpo/search_space.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto document = maas::fuzz::as_json(data, size);
  if (!document) return 0;
  auto space = maas::hpo::SearchSpace::parse(*document);
  if (!space.ok()) return 0;
  (void)space->to_json().dump();
  std::mt19937_64 rng(size);
  for (int i = 0; i < 4; ++i) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& spec : space->params()) {
      if (!space->active(spec, params)) continue;
      params[spec.name] = spec.sample_uniform(rng);
      (void)spec.from_internal(spec.to_internal(params[spec.name]));
    }
    (void)space->check(params);
  }
  for (const auto& spec : space->params()) (void)spec.grid_values(64);
  return 0;
}
