// maasd's side of the online feature store (docs/FEATURES.md#online-features): /api/v1/feature-views (define,
// list, get, replace, delete), their observations and the current features of an entity, and a model version's
// attached view (/api/v1/models/{name}/versions/{ref}/feature-view), whose inference requests feed it
// (inference_features.h). Owns the view records (metadata.db), the in-memory OnlineStore, loaded with every view at
// start, and the inference hook.
//
// Thread-safety: both stores are thread-safe; the routes hold a reference to this object, which outlives them.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "config/server_config.h"
#include "features/online/feature_view_store.h"
#include "features/online/inference_features.h"
#include "features/online/online_store.h"
#include "http/router.h"

namespace maas::features::online {

class OnlineFeatures {
 public:
  // A model's version number for a reference (a number, an alias, "latest"); NOT_FOUND naming what is missing.
  using ResolveVersion = std::function<Result<int64_t>(const std::string& model, const std::string& ref)>;

  // Opens the view records in <data_dir>/metadata.db and gives each view to the store (its entities start empty).
  static Result<std::unique_ptr<OnlineFeatures>> open(const config::ServerConfig& cfg, ResolveVersion resolve);

  void add_routes(http::Router& router);

  OnlineStore& store() { return *store_; }
  FeatureViewStore& views() { return *views_; }
  InferenceFeatures& inference() { return *inference_; }
  const ResolveVersion& resolve_version() const { return resolve_; }
  // A definition as the store would serve it, under the server's limits: INVALID_ARGUMENT naming the field.
  Result<FeatureView> parse(const std::string& name, const nlohmann::json& definition) const;

 private:
  OnlineFeatures(std::unique_ptr<FeatureViewStore> views, std::unique_ptr<OnlineStore> store, size_t max_features,
                 ResolveVersion resolve)
      : views_(std::move(views)),
        store_(std::move(store)),
        inference_(std::make_unique<InferenceFeatures>(*store_, *views_)),
        max_features_(max_features),
        resolve_(std::move(resolve)) {}

  std::unique_ptr<FeatureViewStore> views_;
  std::unique_ptr<OnlineStore> store_;
  std::unique_ptr<InferenceFeatures> inference_;
  size_t max_features_;
  ResolveVersion resolve_;
};

// Observations as JSON rows — {"<entity>": "a", "<time>": 1700000000000000 or "2024-01-01T00:00:00Z",
// "<value>": 1.5 or null, ...} — read strictly against the view: INVALID_ARGUMENT naming the row and the field for
// an unknown column, a wrong type, a missing entity or time.
Result<std::vector<Observation>> read_observations(const FeatureView& view, const nlohmann::json& rows);
// A row's features as {"<feature>": value or null}.
nlohmann::json features_json(const FeatureView& view, std::span<const double> features);

}  // namespace maas::features::online
