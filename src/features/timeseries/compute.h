// Applies a feature spec to columns held in memory: rows grouped by entity and ordered by time within each (a stable
// sort: rows with equal times keep their order), each feature computed per entity by the functions beside this file,
// and the values written back in the rows' original order. The one implementation the offline job runs, and the
// one an online caller runs over the rows it keeps.
//
// Thread-safety: pure function over its arguments.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "features/timeseries/spec.h"

namespace maas::features::timeseries {

struct SeriesTable {
  std::vector<std::string> entity;                     // one per row; empty when the spec has no entity column
  std::vector<int64_t> time_us;                        // microseconds since the Unix epoch (UTC)
  std::map<std::string, std::vector<double>> columns;  // the numeric columns the features read; NaN is missing
};

// The feature columns, in the spec's order. INVALID_ARGUMENT naming the feature when a column is not in `table`, a
// window is longer than the data (rows: the longest entity; time: the dataset's whole time span), or a
// decomposition cannot run over an entity's series (naming the entity). `progress` (may be empty) gets the share of
// features done.
Result<std::vector<std::vector<double>>> compute_features(const FeatureSpec& spec, const SeriesTable& table,
                                                          const std::function<void(double)>& progress);

}  // namespace maas::features::timeseries
