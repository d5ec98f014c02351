// The pruner interface: whether a running trial should stop at an intermediate step, given the other trials'
// intermediate values (Optuna's pruners). Registered by name in pruner_registry.cc; pure functions of the trials like
// samplers (sampler.h), immutable after make_pruner.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "common/status.h"
#include "hpo/trial.h"

namespace maas::hpo {

class Pruner {
 public:
  virtual ~Pruner() = default;
  virtual std::string_view name() const = 0;
  // Whether `trial` (running, its intermediate values just extended by `step`) should be pruned now.
  virtual bool should_prune(const StudyView& study, const Trial& trial, int64_t step) const = 0;
};

// Builds the pruner `config` names ({"name": "median", ...}); null or {"name": "none"} never prunes.
// INVALID_ARGUMENT for unknown names or options, or a pruner used with several objectives.
Result<std::unique_ptr<Pruner>> make_pruner(const nlohmann::json& config, size_t objectives);

std::span<const std::string_view> pruner_names();

}  // namespace maas::hpo
