#include "training/xgboost/train_spec.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <set>

namespace maas::training {
namespace {

using nlohmann::json;

constexpr std::array kObjectives = {"binary:logistic", "multi:softprob", "reg:squarederror", "reg:tweedie",
                                    "count:poisson",   "rank:pairwise",  "rank:ndcg"};
// The learner parameters a submission may set, and for each whether it takes a number (else a string).
const std::map<std::string, bool>& booster_keys() {
  static const std::map<std::string, bool> kKeys = {{"eta", true},
                                                    {"max_depth", true},
                                                    {"subsample", true},
                                                    {"colsample_bytree", true},
                                                    {"colsample_bylevel", true},
                                                    {"colsample_bynode", true},
                                                    {"lambda", true},
                                                    {"alpha", true},
                                                    {"min_child_weight", true},
                                                    {"seed", true},
                                                    {"scale_pos_weight", true},
                                                    {"gamma", true},
                                                    {"max_bin", true},
                                                    {"num_class", true},
                                                    {"tweedie_variance_power", true},
                                                    {"max_delta_step", true},
                                                    {"base_score", true},
                                                    {"seed_per_iteration", false},
                                                    {"tree_method", false},
                                                    {"eval_metric", false},
                                                    {"grow_policy", false},
                                                    {"max_leaves", true}};
  return kKeys;
}

Result<std::string> string_field(const json& params, const char* key, bool required) {
  auto it = params.find(key);
  if (it == params.end() || it->is_null()) {
    if (required) return invalid_argument(std::string("params.") + key + " is required");
    return std::string();
  }
  if (!it->is_string() || it->get<std::string>().empty()) {
    return invalid_argument(std::string("params.") + key + " must be a non-empty string");
  }
  return it->get<std::string>();
}

Result<int64_t> count_field(const json& params, const char* key, int64_t fallback, int64_t low, int64_t high) {
  auto it = params.find(key);
  if (it == params.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < low || it->get<int64_t>() > high) {
    return invalid_argument(std::string("params.") + key + " must be an integer from " + std::to_string(low) + " to " +
                            std::to_string(high));
  }
  return it->get<int64_t>();
}

// A number as libxgboost reads it back ("0.1", "6"): integers without a point, others with every digit.
std::string number_text(const json& value) {
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  return json(value.get<double>()).dump();
}

bool is_number_text(const std::string& text) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && std::isfinite(value);
}

Status read_booster(const json& params, TrainSpec& spec) {
  auto it = params.find("params");
  if (it == params.end() || !it->is_object()) {
    return invalid_argument("params.params must be an object of xgboost parameters with at least 'objective'");
  }
  const json& p = *it;
  MAAS_ASSIGN_OR_RETURN(std::string objective, string_field(p, "objective", false));
  if (objective.empty()) return invalid_argument("params.params.objective is required (one of binary:logistic, ...)");
  if (std::find(kObjectives.begin(), kObjectives.end(), objective) == kObjectives.end()) {
    std::string names;
    for (const char* name : kObjectives) names += (names.empty() ? "" : ", ") + std::string(name);
    return invalid_argument("params.params.objective '" + objective + "' is not supported; use one of " + names);
  }
  spec.booster["objective"] = objective;
  for (const auto& [key, value] : p.items()) {
    if (key == "objective") continue;
    if (key == "nthread") return invalid_argument("params.params.nthread is the job's cpu_slots; submit cpu_slots");
    auto known = booster_keys().find(key);
    if (known == booster_keys().end()) {
      return invalid_argument("params.params." + key + " is not an xgboost parameter maas trains with");
    }
    if (known->second) {
      // Numbers come back as text from the normalized parameters (and libxgboost reads text anyway).
      if (value.is_string() && is_number_text(value.get<std::string>())) {
        spec.booster[key] = value.get<std::string>();
        continue;
      }
      if (!value.is_number() || !std::isfinite(value.get<double>())) {
        return invalid_argument("params.params." + key + " must be a number");
      }
      spec.booster[key] = number_text(value);
    } else if (value.is_boolean()) {
      spec.booster[key] = value.get<bool>() ? "true" : "false";
    } else if (value.is_string()) {
      spec.booster[key] = value.get<std::string>();
    } else {
      return invalid_argument("params.params." + key + " must be a string");
    }
  }
  // Histogram trees: the only method with categorical features, and xgboost 2's default.
  spec.booster.try_emplace("tree_method", "hist");
  // Reseeding each round from (seed, round) makes a run resumed from a checkpoint equal one that never stopped.
  spec.booster.try_emplace("seed_per_iteration", "true");
  spec.booster.try_emplace("seed", "0");
  if (objective == "multi:softprob" && !spec.booster.contains("num_class")) {
    return invalid_argument("params.params.num_class is required with multi:softprob (the number of classes)");
  }
  return {};
}

}  // namespace

Result<DatasetInput> dataset_input_from_json(const json& holder, const char* prefix) {
  DatasetInput in;
  auto name = holder.find("dataset");
  if (name == holder.end() || !name->is_string() || name->get<std::string>().empty()) {
    return invalid_argument(std::string(prefix) + "dataset must name a dataset");
  }
  in.dataset = name->get<std::string>();
  if (auto v = holder.find("version"); v != holder.end() && !v->is_null()) {
    if (v->is_number_integer() && v->get<int64_t>() >= 1) {
      in.version = std::to_string(v->get<int64_t>());
    } else if (v->is_string() && !v->get<std::string>().empty()) {
      in.version = v->get<std::string>();
    } else {
      return invalid_argument(std::string(prefix) + "version must be a version number, an alias or 'latest'");
    }
  }
  if (auto f = holder.find("file"); f != holder.end() && f->is_string()) in.file = f->get<std::string>();
  return in;
}

json dataset_input_to_json(const DatasetInput& in) {
  json out = {{"dataset", in.dataset}, {"version", in.version}};
  if (!in.file.empty()) out["file"] = in.file;
  return out;
}

Task TrainSpec::task() const {
  const std::string& objective = booster.at("objective");
  if (objective == "binary:logistic") return Task::kBinary;
  if (objective == "multi:softprob") return Task::kMulticlass;
  if (objective.starts_with("rank:")) return Task::kRanking;
  return Task::kRegression;
}

std::string TrainSpec::stopping_metric() const {
  if (auto it = booster.find("eval_metric"); it != booster.end()) {
    size_t comma = it->second.rfind(',');
    return comma == std::string::npos ? it->second : it->second.substr(comma + 1);
  }
  const std::string& objective = booster.at("objective");
  if (objective == "binary:logistic") return "logloss";
  if (objective == "multi:softprob") return "mlogloss";
  if (objective == "reg:tweedie")
    return "tweedie-nloglik@" +
           (booster.contains("tweedie_variance_power") ? booster.at("tweedie_variance_power") : std::string("1.5"));
  if (objective == "count:poisson") return "poisson-nloglik";
  if (objective.starts_with("rank:")) return objective == "rank:ndcg" ? "ndcg" : "map";
  return "rmse";
}

bool metric_maximized(const std::string& metric) {
  for (const char* prefix : {"auc", "aucpr", "ndcg", "map", "pre"}) {
    if (metric.starts_with(prefix)) return true;
  }
  return false;
}

Result<TrainSpec> spec_from_json(const json& params) {
  if (!params.is_object()) return invalid_argument("params must be a JSON object");
  static const std::set<std::string> kKeys = {"model",
                                              "dataset",
                                              "version",
                                              "file",
                                              "validation",
                                              "split_column",
                                              "label",
                                              "features",
                                              "categorical",
                                              "weight_column",
                                              "group_column",
                                              "params",
                                              "num_boost_round",
                                              "early_stopping_rounds",
                                              "checkpoint_every",
                                              "description"};
  for (const auto& [key, value] : params.items()) {
    if (!kKeys.contains(key)) return invalid_argument("params." + key + " is not a parameter of train.xgboost");
  }
  TrainSpec spec;
  MAAS_ASSIGN_OR_RETURN(spec.model, string_field(params, "model", true));
  MAAS_ASSIGN_OR_RETURN(spec.train, dataset_input_from_json(params, "params."));
  if (auto v = params.find("validation"); v != params.end() && !v->is_null()) {
    if (!v->is_object()) return invalid_argument("params.validation must be {dataset, version?}");
    MAAS_ASSIGN_OR_RETURN(spec.validation, dataset_input_from_json(*v, "params.validation."));
  }
  MAAS_ASSIGN_OR_RETURN(spec.split_column, string_field(params, "split_column", false));
  if (spec.validation && !spec.split_column.empty()) {
    return invalid_argument("give either params.validation or params.split_column, not both");
  }
  MAAS_ASSIGN_OR_RETURN(spec.label, string_field(params, "label", true));
  MAAS_ASSIGN_OR_RETURN(spec.weight_column, string_field(params, "weight_column", false));
  MAAS_ASSIGN_OR_RETURN(spec.group_column, string_field(params, "group_column", false));
  if (auto f = params.find("features"); f != params.end() && !f->is_null()) {
    if (!f->is_array() || f->empty()) return invalid_argument("params.features must be a non-empty array of columns");
    for (const json& name : *f) {
      if (!name.is_string() || name.get<std::string>().empty()) {
        return invalid_argument("params.features must hold column names");
      }
      spec.features.push_back(name.get<std::string>());
    }
  }
  if (auto c = params.find("categorical"); c != params.end() && c->is_array()) {
    for (const json& name : *c) {
      if (name.is_string()) spec.categorical.push_back(name.get<std::string>());
    }
  }
  MAAS_RETURN_IF_ERROR(read_booster(params, spec));
  if (spec.task() == Task::kRanking && spec.group_column.empty()) {
    return invalid_argument("params.group_column is required with " + spec.booster["objective"] +
                            " (the column naming each row's query)");
  }
  MAAS_ASSIGN_OR_RETURN(spec.num_boost_round, count_field(params, "num_boost_round", 100, 1, 100000));
  MAAS_ASSIGN_OR_RETURN(spec.early_stopping_rounds, count_field(params, "early_stopping_rounds", 0, 0, 100000));
  if (spec.early_stopping_rounds > 0 && !spec.validation && spec.split_column.empty()) {
    return invalid_argument(
        "params.early_stopping_rounds needs a validation set: params.validation or "
        "params.split_column");
  }
  MAAS_ASSIGN_OR_RETURN(spec.checkpoint_every, count_field(params, "checkpoint_every", 10, 1, 100000));
  if (params.contains("description")) {
    MAAS_ASSIGN_OR_RETURN(spec.description, string_field(params, "description", false));
  }
  return spec;
}

json spec_to_json(const TrainSpec& spec) {
  json booster = json::object();
  for (const auto& [key, value] : spec.booster) booster[key] = value;
  json out = dataset_input_to_json(spec.train);
  out["model"] = spec.model;
  out["label"] = spec.label;
  out["params"] = booster;
  out["num_boost_round"] = spec.num_boost_round;
  out["early_stopping_rounds"] = spec.early_stopping_rounds;
  out["checkpoint_every"] = spec.checkpoint_every;
  if (!spec.features.empty()) out["features"] = spec.features;
  if (!spec.categorical.empty()) out["categorical"] = spec.categorical;
  if (spec.validation) out["validation"] = dataset_input_to_json(*spec.validation);
  for (const auto& [key, value] : {std::pair{"split_column", spec.split_column},
                                   {"weight_column", spec.weight_column},
                                   {"group_column", spec.group_column},
                                   {"description", spec.description}}) {
    if (!value.empty()) out[key] = value;
  }
  return out;
}

}  // namespace maas::training
