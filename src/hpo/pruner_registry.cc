// make_pruner: the one table of pruner names. A new pruner is a row here (its code in pruners/).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

#include "common/json_fields.h"
#include "hpo/pruner.h"
#include "hpo/pruners/hyperband_pruner.h"
#include "hpo/pruners/percentile_pruner.h"
#include "hpo/pruners/successive_halving_pruner.h"

namespace maas::hpo {
namespace {

// Never prunes (Optuna's NopPruner): the default.
class NonePruner final : public Pruner {
 public:
  std::string_view name() const override { return "none"; }
  bool should_prune(const StudyView&, const Trial&, int64_t) const override { return false; }
};

constexpr std::array<std::string_view, 6> kNames = {"none",     "median", "percentile", "asha", "successive_halving",
                                                    "hyperband"};

}  // namespace

std::span<const std::string_view> pruner_names() { return kNames; }

Result<std::unique_ptr<Pruner>> make_pruner(const nlohmann::json& config, size_t objectives) {
  if (!config.is_null() && !config.is_object()) return invalid_argument("'pruner' must be an object");
  std::string_view name = "none";
  if (config.is_object()) {
    if (const auto it = config.find("name"); it != config.end()) {
      if (!it->is_string()) return invalid_argument("'pruner.name' must be a string");
      name = it->get_ref<const std::string&>();
    }
  }
  if (name == "none") {
    if (config.is_object()) MAAS_RETURN_IF_ERROR(check_known_fields(config, "pruner", {"name"}));
    return std::unique_ptr<Pruner>(std::make_unique<NonePruner>());
  }
  if (std::find(kNames.begin(), kNames.end(), name) == kNames.end()) {
    return invalid_argument(fmt::format("unknown pruner '{}'; known: {}", name, fmt::join(pruner_names(), ", ")));
  }
  if (objectives != 1) {
    return invalid_argument(
        fmt::format("the '{}' pruner needs exactly one objective (the study has {})", name, objectives));
  }
  if (name == "median" || name == "percentile") return make_percentile_pruner(config, name == "median");
  if (name == "asha" || name == "successive_halving") return make_successive_halving_pruner(config);
  return make_hyperband_pruner(config);
}

}  // namespace maas::hpo
