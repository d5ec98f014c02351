#include "features/step.h"

#include <cmath>
#include <limits>

#include "common/json_fields.h"
#include "features/step_kinds.h"

namespace maas::features {
namespace {

struct Kind {
  const char* name;
  std::initializer_list<const char*> params;
};

// Each step's parameters, as sklearn names them ("step" is the kind).
const Kind kKinds[] = {
    {"StandardScaler", {"step", "with_mean", "with_std"}},
    {"MinMaxScaler", {"step", "feature_range", "clip"}},
    {"MaxAbsScaler", {"step"}},
    {"RobustScaler", {"step", "with_centering", "with_scaling", "quantile_range"}},
    {"SimpleImputer", {"step", "strategy", "fill_value"}},
    {"OneHotEncoder", {"step", "handle_unknown", "drop", "min_frequency", "max_categories"}},
    {"OrdinalEncoder", {"step", "handle_unknown", "unknown_value", "encoded_missing_value"}},
    {"CountEncoder", {"step", "handle_unknown"}},
    {"FrequencyEncoder", {"step", "handle_unknown"}},
    {"TargetEncoder", {"step", "target", "smooth", "cv", "shuffle", "random_state"}},
    {"KBinsDiscretizer", {"step", "n_bins", "strategy", "encode"}},
    {"PowerTransformer", {"step", "method", "standardize"}},
    {"PolynomialFeatures", {"step", "degree", "interaction_only", "include_bias"}},
    {"Log1p", {"step"}},
    {"ArithmeticFeatures", {"step", "pairs", "ops", "passthrough"}},
    {"GroupAggregate", {"step", "key", "column", "aggs", "relative", "handle_unknown"}},
};

Result<std::unique_ptr<Step>> construct(const std::string& kind, const Params& p) {
  if (kind == "StandardScaler") return make_standard_scaler(p);
  if (kind == "MinMaxScaler") return make_min_max_scaler(p);
  if (kind == "MaxAbsScaler") return make_max_abs_scaler(p);
  if (kind == "RobustScaler") return make_robust_scaler(p);
  if (kind == "SimpleImputer") return make_simple_imputer(p);
  if (kind == "OneHotEncoder") return make_one_hot_encoder(p);
  if (kind == "OrdinalEncoder") return make_ordinal_encoder(p);
  if (kind == "CountEncoder") return make_count_encoder(p, false);
  if (kind == "FrequencyEncoder") return make_count_encoder(p, true);
  if (kind == "TargetEncoder") return make_target_encoder(p);
  if (kind == "KBinsDiscretizer") return make_kbins_discretizer(p);
  if (kind == "PowerTransformer") return make_power_transformer(p);
  if (kind == "PolynomialFeatures") return make_polynomial_features(p);
  if (kind == "ArithmeticFeatures") return make_arithmetic_features(p);
  if (kind == "GroupAggregate") return make_group_aggregate(p);
  return make_log1p(p);
}

}  // namespace

Result<std::unique_ptr<Step>> make_step(const nlohmann::json& spec, const std::string& where) {
  if (!spec.is_object()) return invalid_argument(where + " must be an object {\"step\": ...}");
  const auto it = spec.find("step");
  std::string known;
  for (const Kind& k : kKinds) {
    known += (known.empty() ? "" : ", ") + std::string(k.name);
    if (it != spec.end() && it->is_string() && it->get_ref<const std::string&>() == k.name) {
      const std::string named = where + " (" + k.name + ")";
      MAAS_RETURN_IF_ERROR(check_known_fields(spec, named, k.params));
      return construct(k.name, Params(spec, named));
    }
  }
  return invalid_argument(where + ": 'step' must be one of: " + known);
}

nlohmann::json number_json(double value) { return std::isnan(value) ? nlohmann::json() : nlohmann::json(value); }

double json_number(const nlohmann::json& value) {
  return value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
}

nlohmann::json numbers_json(const std::vector<double>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (double v : values) out.push_back(number_json(v));
  return out;
}

std::vector<double> json_numbers(const nlohmann::json& values) {
  std::vector<double> out;
  for (const auto& v : values) out.push_back(json_number(v));
  return out;
}

}  // namespace maas::features
