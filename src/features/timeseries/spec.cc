#include "features/timeseries/spec.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "common/json_fields.h"

namespace maas::features::timeseries {
namespace {

using nlohmann::json;

constexpr int64_t kMaxInteger = 1'000'000'000;

// Reads the fields of one object, naming each as "<where>.<key>" in its errors.
class Fields {
 public:
  Fields(const json& object, std::string where) : object_(object), where_(std::move(where)) {}

  const json* find(const char* key) const {
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  // An out-parameter rather than Result<std::string>: GCC 12 warns (maybe-uninitialized) on the latter here.
  Status string(const char* key, bool required, std::string& out) const {
    const json* v = find(key);
    if (v == nullptr) return required ? missing(key) : Status();
    if (!v->is_string() || v->get<std::string>().empty()) return wrong(key, "a non-empty string");
    out = v->get<std::string>();
    return {};
  }
  // Integers are bounded (kMaxInteger) so that no arithmetic on rows or periods can overflow.
  Result<int64_t> integer(const char* key, int64_t fallback, int64_t min, int64_t max = kMaxInteger) const {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_number_integer() || v->get<int64_t>() < min || v->get<int64_t>() > max) {
      return wrong(key, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return v->get<int64_t>();
  }
  Result<double> number(const char* key, double fallback) const {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_number() || !std::isfinite(v->get<double>())) return wrong(key, "a finite number");
    return v->get<double>();
  }
  Result<bool> boolean(const char* key, bool fallback) const {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) return wrong(key, "true or false");
    return v->get<bool>();
  }
  Status missing(const char* key) const { return invalid_argument(where_ + "." + key + " is required"); }
  Status wrong(const char* key, const std::string& what) const {
    return invalid_argument(where_ + "." + key + " must be " + what);
  }
  const std::string& where() const { return where_; }

 private:
  const json& object_;
  std::string where_;
};

Result<Statistic> statistic_of(const std::string& name, const Fields& f) {
  static const std::pair<const char*, Statistic> kNames[] = {
      {"mean", Statistic::kMean}, {"sum", Statistic::kSum},       {"var", Statistic::kVar},
      {"std", Statistic::kStd},   {"count", Statistic::kCount},   {"min", Statistic::kMin},
      {"max", Statistic::kMax},   {"median", Statistic::kMedian}, {"quantile", Statistic::kQuantile}};
  for (const auto& [key, value] : kNames) {
    if (name == key) return value;
  }
  return f.wrong("statistic", "one of mean, sum, var, std, count, min, max, median, quantile");
}

Status parse_rolling(const json& j, const Fields& f, Feature& out) {
  MAAS_RETURN_IF_ERROR(check_known_fields(
      j, f.where(), {"name", "kind", "column", "window", "statistic", "min_periods", "quantile", "ddof"}));
  const json* window = f.find("window");
  if (window == nullptr) return f.missing("window");
  if (window->is_number_integer() && window->get<int64_t>() > 0 && window->get<int64_t>() <= kMaxInteger) {
    out.window_rows = window->get<int64_t>();
    out.window_text = std::to_string(out.window_rows);
  } else if (window->is_string()) {
    out.window_text = window->get<std::string>();
    auto us = parse_offset(out.window_text);
    if (!us.ok()) return f.wrong("window", "a positive number of rows or a time offset: " + us.status().message());
    out.window_us = *us;
  } else {
    return f.wrong("window", "a positive number of rows or a time offset ('5min', '1h', '7d')");
  }
  std::string statistic;
  MAAS_RETURN_IF_ERROR(f.string("statistic", true, statistic));
  MAAS_ASSIGN_OR_RETURN(out.rolling.statistic, statistic_of(statistic, f));
  // pandas' defaults: a row window needs all of its rows (count: none), a time window one.
  int64_t default_min = out.window_us > 0 ? 1 : out.window_rows;
  if (out.rolling.statistic == Statistic::kCount && out.window_rows > 0) default_min = 0;
  MAAS_ASSIGN_OR_RETURN(out.rolling.min_periods, f.integer("min_periods", default_min, 0));
  if (out.window_rows > 0 && out.rolling.min_periods > out.window_rows) {
    return f.wrong("min_periods", "at most the window (" + std::to_string(out.window_rows) + ")");
  }
  MAAS_ASSIGN_OR_RETURN(out.rolling.quantile, f.number("quantile", 0.5));
  if (out.rolling.statistic == Statistic::kQuantile && f.find("quantile") == nullptr) return f.missing("quantile");
  if (out.rolling.quantile < 0 || out.rolling.quantile > 1) return f.wrong("quantile", "in [0, 1]");
  MAAS_ASSIGN_OR_RETURN(int64_t ddof, f.integer("ddof", 1, 0, 1000));
  out.rolling.ddof = static_cast<int>(ddof);
  return {};
}

Status parse_ewm(const json& j, const Fields& f, Feature& out) {
  MAAS_RETURN_IF_ERROR(check_known_fields(j, f.where(),
                                          {"name", "kind", "column", "statistic", "com", "span", "halflife", "alpha",
                                           "adjust", "ignore_na", "min_periods"}));
  std::string statistic;
  MAAS_RETURN_IF_ERROR(f.string("statistic", false, statistic));
  if (statistic != "" && statistic != "mean" && statistic != "std") return f.wrong("statistic", "mean or std");
  out.ewm_std = statistic == "std";
  MAAS_ASSIGN_OR_RETURN(out.ewm.com, f.number("com", -1));
  MAAS_ASSIGN_OR_RETURN(out.ewm.span, f.number("span", -1));
  MAAS_ASSIGN_OR_RETURN(out.ewm.halflife, f.number("halflife", -1));
  MAAS_ASSIGN_OR_RETURN(out.ewm.alpha, f.number("alpha", -1));
  for (const char* key : {"com", "span", "halflife", "alpha"}) {
    if (f.find(key) != nullptr && f.find(key)->get<double>() < 0) return f.wrong(key, "at least 0");
  }
  MAAS_ASSIGN_OR_RETURN(out.ewm.adjust, f.boolean("adjust", true));
  MAAS_ASSIGN_OR_RETURN(out.ewm.ignore_na, f.boolean("ignore_na", false));
  MAAS_ASSIGN_OR_RETURN(out.ewm.min_periods, f.integer("min_periods", 0, 0));
  auto com = center_of_mass(out.ewm);
  if (!com.ok()) return invalid_argument(f.where() + ": " + com.status().message());
  out.ewm_com = *com;
  return {};
}

Status parse_component(const Fields& f, bool weights, Feature& out) {
  std::string component;
  MAAS_RETURN_IF_ERROR(f.string("component", true, component));
  if (component == "trend") {
    out.component = Feature::Component::kTrend;
  } else if (component == "seasonal") {
    out.component = Feature::Component::kSeasonal;
  } else if (component == "resid") {
    out.component = Feature::Component::kResid;
  } else if (component == "weights" && weights) {
    out.component = Feature::Component::kWeights;
  } else {
    return f.wrong("component", weights ? "trend, seasonal, resid or weights" : "trend, seasonal or resid");
  }
  return {};
}

Status parse_stl(const json& j, const Fields& f, Feature& out) {
  MAAS_RETURN_IF_ERROR(check_known_fields(
      j, f.where(), {"name", "kind", "column", "period", "seasonal", "trend", "low_pass", "robust", "component"}));
  if (f.find("period") == nullptr) return f.missing("period");
  MAAS_ASSIGN_OR_RETURN(out.stl.period, f.integer("period", 0, 2));
  MAAS_ASSIGN_OR_RETURN(out.stl.seasonal, f.integer("seasonal", 7, 3));
  MAAS_ASSIGN_OR_RETURN(out.stl.trend, f.integer("trend", 0, 3));
  MAAS_ASSIGN_OR_RETURN(out.stl.low_pass, f.integer("low_pass", 0, 3));
  MAAS_ASSIGN_OR_RETURN(out.stl.robust, f.boolean("robust", false));
  return parse_component(f, true, out);
}

Status parse_decompose(const json& j, const Fields& f, Feature& out) {
  MAAS_RETURN_IF_ERROR(check_known_fields(
      j, f.where(), {"name", "kind", "column", "period", "model", "component", "extrapolate_trend"}));
  if (f.find("period") == nullptr) return f.missing("period");
  MAAS_ASSIGN_OR_RETURN(out.decompose.period, f.integer("period", 0, 2));
  std::string model;
  MAAS_RETURN_IF_ERROR(f.string("model", false, model));
  if (model == "multiplicative") {
    out.decompose.model = DecomposeModel::kMultiplicative;
  } else if (model != "" && model != "additive") {
    return f.wrong("model", "additive or multiplicative");
  }
  MAAS_RETURN_IF_ERROR(parse_component(f, false, out));
  const json* extrapolate = f.find("extrapolate_trend");
  if (extrapolate != nullptr && extrapolate->is_string()) {
    if (extrapolate->get<std::string>() != "freq") return f.wrong("extrapolate_trend", "'freq' or an integer");
    out.decompose.extrapolate_trend = out.decompose.period - 1;
    out.extrapolate_freq = true;
  } else {
    MAAS_ASSIGN_OR_RETURN(out.decompose.extrapolate_trend, f.integer("extrapolate_trend", 0, 0));
  }
  return {};
}

Status parse_kind_fields(const json& j, const Fields& f, const std::string& kind, Feature& out) {
  if (kind == "lag" || kind == "diff") {
    out.kind = kind == "lag" ? FeatureKind::kLag : FeatureKind::kDiff;
    MAAS_RETURN_IF_ERROR(check_known_fields(j, f.where(), {"name", "kind", "column", "periods"}));
    MAAS_ASSIGN_OR_RETURN(out.periods, f.integer("periods", 1, -kMaxInteger));
    return {};
  }
  if (kind == "rolling") return out.kind = FeatureKind::kRolling, parse_rolling(j, f, out);
  if (kind == "ewm") return out.kind = FeatureKind::kEwm, parse_ewm(j, f, out);
  if (kind == "decompose") return out.kind = FeatureKind::kDecompose, parse_decompose(j, f, out);
  if (kind == "stl") return out.kind = FeatureKind::kStl, parse_stl(j, f, out);
  if (kind == "acf") {
    out.kind = FeatureKind::kAcf;
    MAAS_RETURN_IF_ERROR(check_known_fields(j, f.where(), {"name", "kind", "column", "lag", "missing"}));
    MAAS_ASSIGN_OR_RETURN(out.acf_lag, f.integer("lag", 1, 1));
    std::string missing;
    MAAS_RETURN_IF_ERROR(f.string("missing", false, missing));
    if (missing != "" && missing != "none" && missing != "drop") return f.wrong("missing", "none or drop");
    out.acf_drop_missing = missing == "drop";
    return {};
  }
  if (kind == "dtw") {
    out.kind = FeatureKind::kDtw;
    MAAS_RETURN_IF_ERROR(check_known_fields(j, f.where(), {"name", "kind", "column", "reference", "band"}));
    const json* reference = f.find("reference");
    if (reference == nullptr || !reference->is_array() || reference->empty()) {
      return f.wrong("reference", "a non-empty array of numbers");
    }
    for (const auto& v : *reference) {
      if (!v.is_number() || !std::isfinite(v.get<double>())) return f.wrong("reference", "an array of finite numbers");
      out.reference.push_back(v.get<double>());
    }
    MAAS_ASSIGN_OR_RETURN(out.band, f.integer("band", -1, 0));
    return {};
  }
  if (kind == "calendar") {
    out.kind = FeatureKind::kCalendar;
    MAAS_RETURN_IF_ERROR(check_known_fields(j, f.where(), {"name", "kind", "field"}));
    std::string field;
    MAAS_RETURN_IF_ERROR(f.string("field", true, field));
    auto parsed = calendar_field(field);
    if (!parsed) {
      return f.wrong("field",
                     "one of hour, weekday, month, day_of_year, is_weekend, hour_sin, hour_cos, weekday_sin, "
                     "weekday_cos, month_sin, month_cos");
    }
    out.calendar = *parsed;
    return {};
  }
  return f.wrong("kind", "one of lag, diff, rolling, ewm, calendar, acf, dtw, decompose, stl");
}

}  // namespace

bool is_numeric_type(const std::string& type) {
  static constexpr const char* kNumeric[] = {"TINYINT",   "SMALLINT", "INTEGER", "BIGINT",   "HUGEINT", "UTINYINT",
                                             "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT",   "DOUBLE"};
  return type.rfind("DECIMAL", 0) == 0 ||
         std::any_of(std::begin(kNumeric), std::end(kNumeric), [&](const char* t) { return type == t; });
}

bool is_time_type(const std::string& type) { return type == "DATE" || type.rfind("TIMESTAMP", 0) == 0; }

Result<int64_t> parse_offset(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  const std::string unit = text.substr(digits);
  if (digits == 0 || digits > 12) return invalid_argument("'" + text + "' is not a time offset like 5min, 1h or 7d");
  const int64_t count = std::stoll(text.substr(0, digits));
  static const std::pair<const char*, int64_t> kUnits[] = {
      {"ms", 1'000},         {"s", 1'000'000},       {"min", 60'000'000},   {"h", 3'600'000'000},
      {"d", 86'400'000'000}, {"D", 86'400'000'000},  {"H", 3'600'000'000},  {"T", 60'000'000},
      {"S", 1'000'000},      {"w", 604'800'000'000}, {"W", 604'800'000'000}};
  for (const auto& [name, us] : kUnits) {
    if (unit == name) {
      if (count == 0) return invalid_argument("the time offset '" + text + "' must be positive");
      if (count > std::numeric_limits<int64_t>::max() / 4 / us) {
        return invalid_argument("the time offset '" + text + "' is too long");
      }
      return count * us;
    }
  }
  return invalid_argument("'" + text + "' has no unit of ms, s, min, h, d or w");
}

Result<FeatureSpec> parse_feature_spec(const json& spec, size_t max_features) {
  MAAS_RETURN_IF_ERROR(check_known_fields(spec, "spec", {"entity", "time", "features"}));
  Fields top(spec, "spec");
  FeatureSpec out;
  MAAS_RETURN_IF_ERROR(top.string("entity", false, out.entity));
  MAAS_RETURN_IF_ERROR(top.string("time", true, out.time));
  const json* features = top.find("features");
  if (features == nullptr || !features->is_array() || features->empty()) {
    return invalid_argument("spec.features must be a non-empty array of features");
  }
  if (max_features > 0 && features->size() > max_features) {
    return invalid_argument("spec.features has " + std::to_string(features->size()) + " features; at most " +
                            std::to_string(max_features) + " are allowed");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < features->size(); ++i) {
    const json& j = (*features)[i];
    Fields f(j, "spec.features[" + std::to_string(i) + "]");
    if (!j.is_object()) return invalid_argument(f.where() + " must be an object");
    Feature feature;
    MAAS_RETURN_IF_ERROR(f.string("name", true, feature.name));
    std::string kind;
    MAAS_RETURN_IF_ERROR(f.string("kind", true, kind));
    MAAS_RETURN_IF_ERROR(parse_kind_fields(j, f, kind, feature));
    if (feature.kind != FeatureKind::kCalendar) {
      MAAS_RETURN_IF_ERROR(f.string("column", true, feature.column));
    }
    if (!names.insert(feature.name).second) {
      return invalid_argument(f.where() + ".name '" + feature.name + "' is given to two features");
    }
    out.features.push_back(std::move(feature));
  }
  return out;
}

}  // namespace maas::features::timeseries
