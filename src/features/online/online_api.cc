#include "features/online/online_api.h"

#include <chrono>
#include <cmath>

#include "common/clock.h"

namespace maas::features::online {
namespace {

using nlohmann::json;

int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Result<int64_t> read_time(const json& v, const std::string& where) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    auto ms = parse_rfc3339_ms(v.get<std::string>());
    if (ms) return *ms * 1000;
  }
  return invalid_argument(where + " must be microseconds since the epoch (an integer) or an RFC 3339 time");
}

Result<std::string> read_entity(const json& v, const std::string& where) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return v.dump();
  return invalid_argument(where + " must be a string or an integer");
}

}  // namespace

Result<std::unique_ptr<OnlineFeatures>> OnlineFeatures::open(const config::ServerConfig& cfg, ResolveVersion resolve) {
  MAAS_ASSIGN_OR_RETURN(auto views, FeatureViewStore::open(cfg.data_dir / "metadata.db"));
  StoreLimits limits{cfg.features_online_max_entities, cfg.features_online_ttl_ms, cfg.features_online_max_window};
  auto store = std::make_unique<OnlineStore>(limits, steady_now_ms);
  std::unique_ptr<OnlineFeatures> api(new OnlineFeatures(std::move(views), std::move(store),
                                                         static_cast<size_t>(cfg.features_timeseries_max_features),
                                                         std::move(resolve)));
  MAAS_RETURN_IF_ERROR(api->inference().load());
  MAAS_ASSIGN_OR_RETURN(auto records, api->views().list());
  for (const FeatureViewRecord& record : records) {
    // A view stored under looser limits than today's is refused by name, so the server says what to fix.
    auto view = api->parse(record.name, record.definition);
    if (!view.ok()) {
      return invalid_argument("feature view '" + record.name +
                              "' no longer fits the settings: " + view.status().message());
    }
    api->store().put_view(std::make_shared<const FeatureView>(std::move(*view)));
  }
  return api;
}

Result<FeatureView> OnlineFeatures::parse(const std::string& name, const json& definition) const {
  return parse_feature_view(name, definition, store_->limits().max_window, max_features_);
}

Result<std::vector<Observation>> read_observations(const FeatureView& view, const json& rows) {
  if (!rows.is_array()) return invalid_argument("'rows' must be an array of objects");
  std::vector<Observation> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const json& row = rows[i];
    const std::string where = "rows[" + std::to_string(i) + "]";
    if (!row.is_object()) return invalid_argument(where + " must be an object");
    Observation o;
    o.values.assign(view.values.size(), std::nan(""));
    bool has_entity = false, has_time = false;
    for (const auto& [key, value] : row.items()) {
      const std::string field = where + "." + key;
      if (key == view.spec.entity) {
        MAAS_ASSIGN_OR_RETURN(o.entity, read_entity(value, field));
        has_entity = true;
      } else if (key == view.spec.time) {
        MAAS_ASSIGN_OR_RETURN(o.time_us, read_time(value, field));
        has_time = true;
      } else {
        auto column = std::find(view.values.begin(), view.values.end(), key);
        if (column == view.values.end()) {
          return invalid_argument(field + ": feature view '" + view.name + "' has no column '" + key + "'");
        }
        if (value.is_null()) continue;  // missing: NaN, as offline
        if (!value.is_number()) return invalid_argument(field + " must be a number or null");
        o.values[static_cast<size_t>(column - view.values.begin())] = value.get<double>();
      }
    }
    if (!has_entity) return invalid_argument(where + " has no entity ('" + view.spec.entity + "')");
    if (!has_time) return invalid_argument(where + " has no time ('" + view.spec.time + "')");
    out.push_back(std::move(o));
  }
  return out;
}

json features_json(const FeatureView& view, std::span<const double> features) {
  json out = json::object();
  for (size_t i = 0; i < features.size(); ++i) {
    out[view.spec.features[i].name] = std::isnan(features[i]) ? json(nullptr) : json(features[i]);
  }
  return out;
}

}  // namespace maas::features::online
