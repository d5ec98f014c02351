#include "studies/objective_spec.h"

#include <fmt/format.h>

#include "common/json_fields.h"

namespace maas::studies {
namespace {

bool is_top_level_field(const std::string& name) {
  return name == "num_boost_round" || name == "early_stopping_rounds";
}

}  // namespace

Result<nlohmann::json> parse_objective(const nlohmann::json& objective, const hpo::SearchSpace& space,
                                       size_t objectives) {
  MAAS_RETURN_IF_ERROR(check_known_fields(objective, "objective", {"kind", "params", "metric", "parallel"}));
  const auto kind = objective.find("kind");
  if (kind == objective.end() || !kind->is_string() || kind->get_ref<const std::string&>() != "train.cv") {
    return invalid_argument("'objective.kind' must be \"train.cv\" (the built-in objective maas runs)");
  }
  if (objectives != 1) return invalid_argument("a built-in objective needs exactly one direction");
  const auto params = objective.find("params");
  if (params == objective.end() || !params->is_object()) {
    return invalid_argument("'objective.params' must be an object: train.cv's params");
  }
  if (const auto learner = params->find("params"); learner != params->end() && !learner->is_object()) {
    return invalid_argument("'objective.params.params' must be an object: XGBoost's learner parameters");
  }
  const auto metric = objective.find("metric");
  if (metric == objective.end() || !metric->is_string() || metric->get_ref<const std::string&>().empty()) {
    return invalid_argument("'objective.metric' must name the XGBoost eval_metric whose test mean is the value");
  }
  int64_t parallel = 1;
  if (const auto it = objective.find("parallel"); it != objective.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > kMaxObjectiveParallel) {
      return invalid_argument(
          fmt::format("'objective.parallel' must be an integer from 1 to {}", kMaxObjectiveParallel));
    }
    parallel = it->get<int64_t>();
  }
  for (const auto& spec : space.params()) {
    if (spec.name == "params") return invalid_argument("a built-in objective's space cannot name a parameter 'params'");
  }
  return nlohmann::json{{"kind", "train.cv"}, {"params", *params}, {"metric", *metric}, {"parallel", parallel}};
}

nlohmann::json objective_params(const nlohmann::json& objective, const nlohmann::json& trial_params) {
  nlohmann::json params = objective.at("params");
  if (!params.contains("params")) params["params"] = nlohmann::json::object();
  for (const auto& [name, value] : trial_params.items()) {
    if (is_top_level_field(name)) {
      params[name] = value;
    } else {
      params["params"][name] = value;
    }
  }
  return params;
}

std::string objective_metric_key(const nlohmann::json& objective) {
  return "test-" + objective.at("metric").get<std::string>() + "-mean";
}

}  // namespace maas::studies
