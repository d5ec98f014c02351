#include "hpo/pruners/hyperband_pruner.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "common/json_fields.h"
#include "hpo/options.h"
#include "hpo/pruners/successive_halving_pruner.h"
#include "hpo/pruners/trial_steps.h"

namespace maas::hpo {
namespace {

// CRC-32 (IEEE 802.3, as Python's binascii.crc32).
uint32_t crc32(std::string_view bytes) {
  static const auto kTable = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (const char ch : bytes) crc = kTable[(crc ^ static_cast<uint8_t>(ch)) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

}  // namespace

std::vector<int64_t> hyperband_budgets(int64_t min_resource, int64_t max_resource, int64_t factor) {
  const double ratio = static_cast<double>(max_resource) / static_cast<double>(min_resource);
  const auto n = std::max<int64_t>(
      static_cast<int64_t>(std::floor(std::log(ratio) / std::log(static_cast<double>(factor)))) + 1, 1);
  std::vector<int64_t> budgets;
  for (int64_t bracket = 0; bracket < n; ++bracket) {
    const int64_t s = n - 1 - bracket;
    budgets.push_back(static_cast<int64_t>(
        std::ceil(static_cast<double>(n) * std::pow(static_cast<double>(factor), static_cast<double>(s)) /
                  static_cast<double>(s + 1))));
  }
  return budgets;
}

size_t hyperband_bracket(std::string_view study_name, int64_t number, const std::vector<int64_t>& budgets) {
  int64_t total = 0;
  for (const auto b : budgets) total += b;
  auto n = static_cast<int64_t>(crc32(fmt::format("{}_{}", study_name, number)) % static_cast<uint64_t>(total));
  for (size_t bracket = 0; bracket < budgets.size(); ++bracket) {
    n -= budgets[bracket];
    if (n < 0) return bracket;
  }
  return budgets.size() - 1;
}

bool HyperbandPruner::should_prune(const StudyView& study, const Trial& trial, int64_t step) const {
  std::optional<int64_t> max_resource = options_.max_resource;
  if (!max_resource) {
    for (const auto& t : study.trials) {
      if (t.state != TrialState::kComplete || t.intermediate.empty()) continue;
      max_resource = std::max(max_resource.value_or(0), t.intermediate.back().first + 1);
    }
    if (!max_resource) return false;
  }
  const auto budgets = hyperband_budgets(options_.min_resource, *max_resource, options_.reduction_factor);
  const size_t bracket = hyperband_bracket("", trial.number, budgets);
  std::vector<Trial> members;
  for (const auto& t : study.trials) {
    if (hyperband_bracket("", t.number, budgets) == bracket) members.push_back(t);
  }
  StudyView bracket_view = study;
  bracket_view.trials = members;
  const SuccessiveHalvingPruner halving({.min_resource = options_.min_resource,
                                         .reduction_factor = options_.reduction_factor,
                                         .min_early_stopping_rate = static_cast<int64_t>(bracket),
                                         .bootstrap_count = options_.bootstrap_count});
  return halving.should_prune(bracket_view, trial, step);
}

Result<std::unique_ptr<Pruner>> make_hyperband_pruner(const nlohmann::json& config) {
  MAAS_RETURN_IF_ERROR(check_known_fields(
      config, "pruner", {"name", "min_resource", "max_resource", "reduction_factor", "bootstrap_count"}));
  HyperbandOptions options;
  MAAS_ASSIGN_OR_RETURN(options.min_resource, option_int(config, "pruner", "min_resource", 1, 1, kMaxPrunerSteps));
  MAAS_ASSIGN_OR_RETURN(options.max_resource,
                        option_int_or_auto(config, "pruner", "max_resource", std::nullopt, kMaxPrunerSteps));
  MAAS_ASSIGN_OR_RETURN(options.reduction_factor, option_int(config, "pruner", "reduction_factor", 3, 2, 1000));
  MAAS_ASSIGN_OR_RETURN(options.bootstrap_count, option_int(config, "pruner", "bootstrap_count", 0, 0, 1'000'000));
  if (options.max_resource && *options.max_resource < options.min_resource) {
    return invalid_argument("'pruner.max_resource' must be at least 'pruner.min_resource'");
  }
  return std::unique_ptr<Pruner>(std::make_unique<HyperbandPruner>(options));
}

}  // namespace maas::hpo
