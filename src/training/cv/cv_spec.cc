#include "training/cv/cv_spec.h"

#include <set>

namespace maas::training::cv {
namespace {

using nlohmann::json;

Result<int64_t> integer(const json& holder, const char* key, int64_t fallback, int64_t low, int64_t high) {
  auto it = holder.find(key);
  if (it == holder.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < low || it->get<int64_t>() > high) {
    return invalid_argument(std::string("params.cv.") + key + " must be an integer from " + std::to_string(low) +
                            " to " + std::to_string(high));
  }
  return it->get<int64_t>();
}

Result<std::string> column(const json& holder, const char* key) {
  auto it = holder.find(key);
  if (it == holder.end() || it->is_null()) return std::string();
  if (!it->is_string() || it->get<std::string>().empty()) {
    return invalid_argument(std::string("params.cv.") + key + " must name a column");
  }
  return it->get<std::string>();
}

}  // namespace

Result<CvSpec> cv_spec_from_json(const json& cv, const json& early_stopping_rounds) {
  if (!cv.is_object()) return invalid_argument("params.cv must be an object: {strategy, folds, ...}");
  static const std::set<std::string> kKeys = {"strategy",    "folds", "shuffle",   "seed",          "group_column",
                                              "time_column", "gap",   "test_size", "max_train_size"};
  for (const auto& [key, value] : cv.items()) {
    if (!kKeys.contains(key)) {
      return invalid_argument("params.cv." + key +
                              " is not a cross-validation field (strategy, folds, shuffle, seed, group_column, "
                              "time_column, gap, test_size, max_train_size)");
    }
  }
  CvSpec spec;
  if (auto it = cv.find("strategy"); it != cv.end() && !it->is_null()) {
    if (!it->is_string()) return invalid_argument("params.cv.strategy must be kfold, stratified, group or timeseries");
    MAAS_ASSIGN_OR_RETURN(spec.folds.strategy, strategy_from_name(it->get<std::string>()));
  }
  MAAS_ASSIGN_OR_RETURN(spec.folds.n_splits, integer(cv, "folds", 5, 2, 100));
  if (auto it = cv.find("shuffle"); it != cv.end() && !it->is_null()) {
    if (!it->is_boolean()) return invalid_argument("params.cv.shuffle must be true or false");
    spec.folds.shuffle = it->get<bool>();
  }
  MAAS_ASSIGN_OR_RETURN(int64_t seed, integer(cv, "seed", 0, 0, 0xffffffffLL));
  spec.folds.seed = static_cast<uint32_t>(seed);
  const FoldStrategy strategy = spec.folds.strategy;
  if (spec.folds.shuffle && (strategy == FoldStrategy::kGroup || strategy == FoldStrategy::kTimeSeries)) {
    return invalid_argument(std::string("params.cv.shuffle does not apply to the ") + strategy_name(strategy) +
                            " strategy (its folds follow the groups or the time order)");
  }
  MAAS_ASSIGN_OR_RETURN(spec.group_column, column(cv, "group_column"));
  MAAS_ASSIGN_OR_RETURN(spec.time_column, column(cv, "time_column"));
  if ((strategy == FoldStrategy::kGroup) != !spec.group_column.empty()) {
    return invalid_argument("params.cv.group_column is required with the group strategy, and only there");
  }
  if ((strategy == FoldStrategy::kTimeSeries) != !spec.time_column.empty()) {
    return invalid_argument("params.cv.time_column is required with the timeseries strategy, and only there");
  }
  for (const char* key : {"gap", "test_size", "max_train_size"}) {
    if (cv.contains(key) && strategy != FoldStrategy::kTimeSeries) {
      return invalid_argument(std::string("params.cv.") + key + " applies to the timeseries strategy only");
    }
  }
  MAAS_ASSIGN_OR_RETURN(spec.folds.gap, integer(cv, "gap", 0, 0, int64_t{1} << 40));
  MAAS_ASSIGN_OR_RETURN(spec.folds.test_size, integer(cv, "test_size", 0, 1, int64_t{1} << 40));
  MAAS_ASSIGN_OR_RETURN(spec.folds.max_train_size, integer(cv, "max_train_size", 0, 1, int64_t{1} << 40));
  if (!early_stopping_rounds.is_null()) {
    if (!early_stopping_rounds.is_number_integer() || early_stopping_rounds.get<int64_t>() < 0 ||
        early_stopping_rounds.get<int64_t>() > 100000) {
      return invalid_argument("params.early_stopping_rounds must be an integer from 0 to 100000");
    }
    spec.early_stopping_rounds = early_stopping_rounds.get<int64_t>();
  }
  return spec;
}

Result<std::optional<StudyGate>> study_gate_from_json(const json& params) {
  const auto it = params.find("study_trial");
  if (it == params.end() || it->is_null()) return std::optional<StudyGate>();
  const auto string_field = [&](const char* key) -> const std::string* {
    const auto field = it->find(key);
    return field != it->end() && field->is_string() && !field->get_ref<const std::string&>().empty()
               ? &field->get_ref<const std::string&>()
               : nullptr;
  };
  if (!it->is_object() || it->size() != 3 || !string_field("study") || !string_field("metric") ||
      !it->contains("trial") || !(*it)["trial"].is_number_integer() || (*it)["trial"].get<int64_t>() < 0) {
    return invalid_argument(
        "params.study_trial must be {\"study\": name, \"trial\": number, \"metric\": curve column} (the studies "
        "driver sets it)");
  }
  return std::optional<StudyGate>(
      StudyGate{*string_field("study"), (*it)["trial"].get<int64_t>(), *string_field("metric")});
}

json study_gate_to_json(const StudyGate& gate) {
  return {{"study", gate.study}, {"trial", gate.trial}, {"metric", gate.metric_key}};
}

json cv_spec_to_json(const CvSpec& spec) {
  json out = {{"strategy", strategy_name(spec.folds.strategy)},
              {"folds", spec.folds.n_splits},
              {"shuffle", spec.folds.shuffle},
              {"seed", spec.folds.seed}};
  if (!spec.group_column.empty()) out["group_column"] = spec.group_column;
  if (!spec.time_column.empty()) out["time_column"] = spec.time_column;
  if (spec.folds.strategy == FoldStrategy::kTimeSeries) {
    out["gap"] = spec.folds.gap;
    if (spec.folds.test_size > 0) out["test_size"] = spec.folds.test_size;
    if (spec.folds.max_train_size > 0) out["max_train_size"] = spec.folds.max_train_size;
  }
  return out;
}

}  // namespace maas::training::cv
