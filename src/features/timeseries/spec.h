// A time-series feature spec — the entity and time columns and the features to compute, each with its parameters
// and output column — parsed from JSON strictly (unknown fields, wrong types and out-of-range values are
// INVALID_ARGUMENT naming the field). docs/FEATURES.md lists the kinds and their parameters.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "features/timeseries/calendar.h"
#include "features/timeseries/decompose.h"
#include "features/timeseries/rolling.h"
#include "features/timeseries/stl.h"
#include "features/timeseries/transforms.h"

namespace maas::features::timeseries {

enum class FeatureKind { kLag, kDiff, kRolling, kEwm, kCalendar, kAcf, kDtw, kDecompose, kStl };

struct Feature {
  std::string name;  // the output column
  FeatureKind kind = FeatureKind::kLag;
  std::string column;   // the input column (all kinds but calendar)
  int64_t periods = 1;  // lag, diff
  // rolling: a window of rows (window_rows > 0) or of time (window_us > 0); `window_text` as the spec gave it.
  int64_t window_rows = 0;
  int64_t window_us = 0;
  std::string window_text;
  RollingOptions rolling;
  EwmOptions ewm;  // ewm: com is resolved (center_of_mass) at parse time into `ewm_com`
  double ewm_com = 0;
  bool ewm_std = false;
  CalendarField calendar = CalendarField::kHour;
  int64_t acf_lag = 1;
  bool acf_drop_missing = false;
  std::vector<double> reference;  // dtw
  int64_t band = -1;              // dtw: -1 is no band
  DecomposeOptions decompose;
  bool extrapolate_freq = false;  // decompose: extrapolate_trend 'freq' (period - 1)
  StlOptions stl;
  // decompose and stl (kWeights: stl only, the robustness weights)
  enum class Component { kTrend, kSeasonal, kResid, kWeights } component = Component::kTrend;
};

struct FeatureSpec {
  std::string entity;  // empty: the whole dataset is one series
  std::string time;
  std::vector<Feature> features;
};

// Parses a spec; `max_features` bounds features (0: no bound).
Result<FeatureSpec> parse_feature_spec(const nlohmann::json& spec, size_t max_features);

// Whether a column of this DuckDB type can be a feature's input (integers, floating point, DECIMAL) or the time
// column (TIMESTAMP of any precision or zone, DATE).
bool is_numeric_type(const std::string& type);
bool is_time_type(const std::string& type);

// "5min", "1h", "7d", "30s", "250ms", "2w" as microseconds; INVALID_ARGUMENT otherwise.
Result<int64_t> parse_offset(const std::string& text);

}  // namespace maas::features::timeseries
