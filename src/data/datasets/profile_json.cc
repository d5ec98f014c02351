// profile_to_json (profile.h): the profile as the registry stores it and the API returns it.
#include <cmath>

#include "data/datasets/profile.h"

namespace maas::data {
namespace {

using nlohmann::json;

std::string_view category_name(ColumnCategory c) {
  switch (c) {
    case ColumnCategory::kNumeric: return "numeric";
    case ColumnCategory::kString: return "string";
    case ColumnCategory::kBoolean: return "boolean";
    case ColumnCategory::kTemporal: return "temporal";
    case ColumnCategory::kOther: return "other";
  }
  return "other";
}

// JSON has no NaN or infinity; they are written as the strings pandas prints for them.
json number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

std::string quantile_key(double q) {
  int percent = static_cast<int>(std::lround(q * 100));
  return (percent < 10 ? "p0" : "p") + std::to_string(percent);
}

json column_json(const ColumnProfile& c) {
  json j = {{"name", c.name},          {"type", c.type},    {"category", category_name(c.category)},
            {"count", c.count},        {"nulls", c.nulls},  {"missing", c.nulls + c.nans}};
  if (c.type == "FLOAT" || c.type == "DOUBLE") j["nans"] = c.nans;
  if (c.count == 0) return j;
  j["distinct"] = c.distinct;
  if (c.min) j["min"] = number(*c.min);
  if (c.max) j["max"] = number(*c.max);
  if (c.min_text) j["min"] = *c.min_text;
  if (c.max_text) j["max"] = *c.max_text;
  if (c.mean) j["mean"] = number(*c.mean);
  if (c.std) j["std"] = number(*c.std);
  if (!c.quantiles.empty()) {
    json q = json::object();
    for (const auto& [at, value] : c.quantiles) q[quantile_key(at)] = number(value);
    j["quantiles"] = q;
  }
  if (c.histogram) j["histogram"] = {{"edges", c.histogram->edges}, {"counts", c.histogram->counts}};
  if (c.min_length) j["min_length"] = *c.min_length;
  if (c.max_length) j["max_length"] = *c.max_length;
  if (c.mean_length) j["mean_length"] = *c.mean_length;
  json top = json::array();
  for (const auto& [value, count] : c.top_values) {
    top.push_back({{"value", value.is_number_float() ? number(value.get<double>()) : value}, {"count", count}});
  }
  if (c.category != ColumnCategory::kOther) j["top_values"] = top;
  return j;
}

}  // namespace

json profile_to_json(const TableProfile& profile) {
  json columns = json::array();
  for (const auto& c : profile.columns) columns.push_back(column_json(c));
  const ProfileOptions& o = profile.options;
  json methods = {
      {"missing", "SQL NULL or NaN (pandas isna)"},
      {"mean", "average of non-missing values, Kahan-summed; +-Infinity or NaN when infinities are present"},
      {"std", "sample standard deviation, ddof=1 (pandas default)"},
      {"quantiles", "linear interpolation at q*(n-1) (pandas/numpy 'linear', the default)"},
      {"distinct", "exact count of distinct non-missing values (pandas nunique)"},
      {"histogram", std::to_string(o.histogram_bins) +
                        " equal-width bins over [min, max] of finite values, last bin closed (numpy.histogram)"},
      {"top_values", "the " + std::to_string(o.top_values) + " most frequent non-missing values, by count then value"},
  };
  return {{"rows", profile.rows}, {"columns", columns}, {"methods", methods}};
}

}  // namespace maas::data
