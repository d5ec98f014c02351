// A feature view: the windowed time-series features the online store keeps per entity — an entity key column, a
// time column, the numeric value columns an observation carries and the features over them, in the same spec as
// the offline features.timeseries job (features/timeseries/spec.h), so one spec means the same thing online and
// offline. Only the features that follow from an entity's past rows can be served online.
//
// Thread-safety: plain values, immutable once parsed.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "features/timeseries/spec.h"

namespace maas::features::online {

struct FeatureView {  // NOLINT(bugprone-exception-escape): nlohmann::json member, moved, never thrown
  std::string name;
  timeseries::FeatureSpec spec;        // entity (never empty), time, features
  std::vector<std::string> values;     // the value columns, in the order observations carry them
  std::vector<size_t> feature_column;  // per feature, its input's index in `values` (calendar features: 0, unused)
  nlohmann::json definition;           // as the client gave it

  std::vector<std::string> feature_names() const;
};

// Parses {"entity", "time", "values"?, "features"} strictly. `values` defaults to the features' input columns in
// first-use order; given, it must name each of them. INVALID_ARGUMENT naming the field for: a kind that needs the
// whole series (acf, dtw, decompose, stl), a lead (negative periods), a row window or lag longer than `max_window`,
// more than `max_features` features.
Result<FeatureView> parse_feature_view(const std::string& name, const nlohmann::json& definition, int64_t max_window,
                                       size_t max_features);

}  // namespace maas::features::online
