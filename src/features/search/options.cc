#include "features/search/options.h"

#include <cmath>

#include "common/json_fields.h"

namespace maas::features::search {
namespace {

using nlohmann::json;

// A field of `object` as an integer in [min, max], `fallback` when absent.
template <typename T>
Status read_integer(const json& object, const char* field, const std::string& where, int64_t min, int64_t max, T& out) {
  const auto it = object.find(field);
  if (it == object.end()) return {};
  if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max) {
    return invalid_argument(where + field + " must be an integer from " + std::to_string(min) + " to " +
                            std::to_string(max));
  }
  out = static_cast<T>(it->get<int64_t>());
  return {};
}

Status read_number(const json& object, const char* field, const std::string& where, double min, double max,
                   double& out) {
  const auto it = object.find(field);
  if (it == object.end()) return {};
  if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < min || it->get<double>() > max) {
    return invalid_argument(where + field + " must be a number from " + json(min).dump() + " to " + json(max).dump());
  }
  out = it->get<double>();
  return {};
}

Status read_budget(const json& budget, SearchOptions& o) {
  if (!budget.is_object()) return invalid_argument("params.budget must be an object");
  MAAS_RETURN_IF_ERROR(check_known_fields(budget, "params.budget",
                                          {"max_candidates", "max_seconds", "max_features", "screen", "mi_rows"}));
  const std::string where = "params.budget.";
  MAAS_RETURN_IF_ERROR(read_integer(budget, "max_candidates", where, 1, 100'000, o.max_candidates));
  MAAS_RETURN_IF_ERROR(read_number(budget, "max_seconds", where, 1, 86'400, o.max_seconds));
  MAAS_RETURN_IF_ERROR(read_integer(budget, "max_features", where, 1, 1'000, o.max_features));
  MAAS_RETURN_IF_ERROR(read_integer(budget, "screen", where, 1, 1'000, o.screen));
  return read_integer(budget, "mi_rows", where, 10, 100'000, o.mi_rows);
}

Status read_model(const json& model, SearchOptions& o) {
  if (!model.is_object()) return invalid_argument("params.model must be an object");
  MAAS_RETURN_IF_ERROR(check_known_fields(model, "params.model", {"trees", "max_depth", "eta"}));
  MAAS_RETURN_IF_ERROR(read_integer(model, "trees", "params.model.", 1, 10'000, o.trees));
  MAAS_RETURN_IF_ERROR(read_integer(model, "max_depth", "params.model.", 1, 16, o.max_depth));
  return read_number(model, "eta", "params.model.", 1e-6, 1, o.eta);
}

}  // namespace

const char* task_name(Task task) { return task == Task::kRegression ? "regression" : "classification"; }

Result<SearchOptions> parse_search_options(const json& params) {
  if (!params.is_object()) return invalid_argument("params must be a JSON object");
  SearchOptions o;
  const auto label = params.find("label");
  if (label == params.end() || !label->is_string() || label->get_ref<const std::string&>().empty()) {
    return invalid_argument("params.label must name the label column");
  }
  o.label = label->get<std::string>();
  const auto task = params.find("task");
  if (task == params.end() || !task->is_string() || (*task != "regression" && *task != "classification")) {
    return invalid_argument("params.task must be \"regression\" or \"classification\"");
  }
  o.task = *task == "regression" ? Task::kRegression : Task::kClassification;
  if (const auto keys = params.find("keys"); keys != params.end()) {
    if (!keys->is_array()) return invalid_argument("params.keys must be an array of column names");
    for (const auto& k : *keys) {
      if (!k.is_string() || k.get_ref<const std::string&>().empty()) {
        return invalid_argument("params.keys must hold column names");
      }
      o.keys.push_back(k.get<std::string>());
    }
  }
  MAAS_RETURN_IF_ERROR(read_integer(params, "depth", "params.", 1, 2, o.depth));
  MAAS_RETURN_IF_ERROR(read_integer(params, "folds", "params.", 2, 20, o.folds));
  MAAS_RETURN_IF_ERROR(read_number(params, "tolerance", "params.", 0, 1, o.tolerance));
  MAAS_RETURN_IF_ERROR(read_number(params, "min_mutual_info", "params.", 0, 100, o.min_mutual_info));
  MAAS_RETURN_IF_ERROR(read_integer(params, "seed", "params.", 0, INT64_MAX, o.seed));
  if (const auto budget = params.find("budget"); budget != params.end()) MAAS_RETURN_IF_ERROR(read_budget(*budget, o));
  if (const auto model = params.find("model"); model != params.end()) MAAS_RETURN_IF_ERROR(read_model(*model, o));
  return o;
}

}  // namespace maas::features::search
