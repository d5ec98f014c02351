#include "features/online/feature_view.h"

#include <algorithm>

#include "common/json_fields.h"

namespace maas::features::online {
namespace {

using nlohmann::json;
using timeseries::FeatureKind;

Status check_online(const timeseries::Feature& f, const std::string& where, int64_t max_window) {
  const std::string limit = " (features.online_max_window is " + std::to_string(max_window) + ")";
  switch (f.kind) {
    case FeatureKind::kAcf:
    case FeatureKind::kDtw:
    case FeatureKind::kDecompose:
    case FeatureKind::kStl:
      return invalid_argument(where + " ('" + f.name +
                              "'): acf, dtw, decompose and stl need the whole series and cannot be served online");
    case FeatureKind::kLag:
    case FeatureKind::kDiff:
      if (f.periods < 0) return invalid_argument(where + ".periods must be at least 0 online: a lead needs the future");
      if (f.periods > max_window) return invalid_argument(where + ".periods must be at most the max window" + limit);
      return {};
    case FeatureKind::kRolling:
      if (f.window_rows > max_window) return invalid_argument(where + ".window must be at most the max window" + limit);
      return {};
    case FeatureKind::kEwm:
    case FeatureKind::kCalendar:
      return {};
  }
  return {};
}

Status read_values(const json& definition, FeatureView& view) {
  auto it = definition.find("values");
  if (it == definition.end() || it->is_null()) {
    for (const auto& f : view.spec.features) {
      if (f.kind != FeatureKind::kCalendar &&
          std::find(view.values.begin(), view.values.end(), f.column) == view.values.end()) {
        view.values.push_back(f.column);
      }
    }
    return {};
  }
  if (!it->is_array()) return invalid_argument("'values' must be an array of column names");
  for (const auto& v : *it) {
    if (!v.is_string() || v.get<std::string>().empty()) {
      return invalid_argument("'values' must be an array of non-empty column names");
    }
    const std::string column = v.get<std::string>();
    if (column == view.spec.entity || column == view.spec.time) {
      return invalid_argument("'values' names '" + column + "', the entity or time column");
    }
    if (std::find(view.values.begin(), view.values.end(), column) != view.values.end()) {
      return invalid_argument("'values' names '" + column + "' twice");
    }
    view.values.push_back(column);
  }
  return {};
}

}  // namespace

std::vector<std::string> FeatureView::feature_names() const {
  std::vector<std::string> out;
  out.reserve(spec.features.size());
  for (const auto& f : spec.features) out.push_back(f.name);
  return out;
}

Result<FeatureView> parse_feature_view(const std::string& name, const json& definition, int64_t max_window,
                                       size_t max_features) {
  if (!definition.is_object()) return invalid_argument("a feature view must be an object");
  MAAS_RETURN_IF_ERROR(check_known_fields(definition, "", {"entity", "time", "values", "features"}));
  json spec = definition;
  spec.erase("values");
  FeatureView view;
  view.name = name;
  view.definition = definition;
  MAAS_ASSIGN_OR_RETURN(view.spec, timeseries::parse_feature_spec(spec, max_features));
  if (view.spec.entity.empty()) return invalid_argument("'entity' is required: the column that keys the entities");
  if (view.spec.entity == view.spec.time) return invalid_argument("'entity' and 'time' must be two columns");
  MAAS_RETURN_IF_ERROR(read_values(definition, view));
  for (size_t i = 0; i < view.spec.features.size(); ++i) {
    const auto& f = view.spec.features[i];
    const std::string where = "spec.features[" + std::to_string(i) + "]";
    MAAS_RETURN_IF_ERROR(check_online(f, where, max_window));
    if (f.kind == FeatureKind::kCalendar) {
      view.feature_column.push_back(0);
      continue;
    }
    auto column = std::find(view.values.begin(), view.values.end(), f.column);
    if (column == view.values.end()) {
      return invalid_argument(where + ".column '" + f.column + "' is not one of 'values'");
    }
    view.feature_column.push_back(static_cast<size_t>(column - view.values.begin()));
  }
  return view;
}

}  // namespace maas::features::online
