#include "features/timeseries/compute.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "features/timeseries/series_stats.h"

namespace maas::features::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Row indices ordered by (entity, time), and where each entity's run begins (with the end as the last element).
struct EntityOrder {
  std::vector<size_t> rows;
  std::vector<size_t> starts;
};

EntityOrder order_rows(const SeriesTable& table) {
  EntityOrder order;
  const size_t n = table.time_us.size();
  order.rows.resize(n);
  std::iota(order.rows.begin(), order.rows.end(), size_t{0});
  const bool grouped = !table.entity.empty();
  std::stable_sort(order.rows.begin(), order.rows.end(), [&](size_t a, size_t b) {
    if (grouped && table.entity[a] != table.entity[b]) return table.entity[a] < table.entity[b];
    return table.time_us[a] < table.time_us[b];
  });
  for (size_t i = 0; i < n; ++i) {
    if (i == 0 || (grouped && table.entity[order.rows[i]] != table.entity[order.rows[i - 1]])) {
      order.starts.push_back(i);
    }
  }
  order.starts.push_back(n);
  return order;
}

// One entity's values of a feature, given its series (in time order) and times.
Result<std::vector<double>> entity_feature(const Feature& f, std::span<const double> x, std::span<const int64_t> t) {
  switch (f.kind) {
    case FeatureKind::kLag:
      return lag(x, f.periods);
    case FeatureKind::kDiff:
      return diff(x, f.periods);
    case FeatureKind::kRolling: {
      const WindowBounds bounds =
          f.window_rows > 0 ? row_windows(x.size(), f.window_rows) : time_windows(t, f.window_us);
      return rolling(x, bounds, f.rolling);
    }
    case FeatureKind::kEwm:
      return f.ewm_std ? ewm_std(x, f.ewm_com, f.ewm) : ewm_mean(x, f.ewm_com, f.ewm);
    case FeatureKind::kCalendar: {
      std::vector<double> out(t.size());
      for (size_t i = 0; i < t.size(); ++i) out[i] = calendar_value(t[i], f.calendar);
      return out;
    }
    case FeatureKind::kAcf:
      return std::vector<double>(x.size(), autocorrelation(x, f.acf_lag, f.acf_drop_missing));
    case FeatureKind::kDtw:
      return std::vector<double>(x.size(), dtw_distance(x, f.reference, f.band));
    case FeatureKind::kDecompose: {
      MAAS_ASSIGN_OR_RETURN(Decomposition d, seasonal_decompose(x, f.decompose));
      if (f.component == Feature::Component::kTrend) return std::move(d.trend);
      if (f.component == Feature::Component::kSeasonal) return std::move(d.seasonal);
      return std::move(d.resid);
    }
    case FeatureKind::kStl: {
      MAAS_ASSIGN_OR_RETURN(StlResult d, stl_decompose(x, f.stl));
      if (f.component == Feature::Component::kTrend) return std::move(d.trend);
      if (f.component == Feature::Component::kSeasonal) return std::move(d.seasonal);
      if (f.component == Feature::Component::kWeights) return std::move(d.weights);
      return std::move(d.resid);
    }
  }
  return internal_error("unknown feature kind");
}

Status check_window(const Feature& f, const SeriesTable& table, const EntityOrder& order) {
  if (f.kind != FeatureKind::kRolling) return {};
  if (f.window_rows > 0) {
    size_t longest = 0;
    for (size_t g = 0; g + 1 < order.starts.size(); ++g)
      longest = std::max(longest, order.starts[g + 1] - order.starts[g]);
    if (static_cast<size_t>(f.window_rows) > longest) {
      return invalid_argument("feature '" + f.name + "': the window of " + f.window_text +
                              " rows is larger than the data (the longest series has " + std::to_string(longest) +
                              " rows)");
    }
    return {};
  }
  const auto [lo, hi] = std::minmax_element(table.time_us.begin(), table.time_us.end());
  if (f.window_us > *hi - *lo) {
    return invalid_argument("feature '" + f.name + "': the window '" + f.window_text +
                            "' is larger than the data's whole time span");
  }
  return {};
}

}  // namespace

Result<std::vector<std::vector<double>>> compute_features(const FeatureSpec& spec, const SeriesTable& table,
                                                          const std::function<void(double)>& progress) {
  const size_t n = table.time_us.size();
  if (n == 0) return invalid_argument("the dataset has no rows to compute features over");
  for (const Feature& f : spec.features) {
    if (f.kind != FeatureKind::kCalendar && !table.columns.contains(f.column)) {
      return invalid_argument("feature '" + f.name + "': the data has no numeric column '" + f.column + "'");
    }
  }
  const EntityOrder order = order_rows(table);
  std::vector<std::vector<double>> out;
  std::vector<double> x;
  std::vector<int64_t> t;
  for (size_t k = 0; k < spec.features.size(); ++k) {
    const Feature& f = spec.features[k];
    MAAS_RETURN_IF_ERROR(check_window(f, table, order));
    static const std::vector<double> kNoColumn;
    const std::vector<double>& column = f.kind == FeatureKind::kCalendar ? kNoColumn : table.columns.at(f.column);
    std::vector<double> values(n, kNaN);
    for (size_t g = 0; g + 1 < order.starts.size(); ++g) {
      x.clear();
      t.clear();
      for (size_t i = order.starts[g]; i < order.starts[g + 1]; ++i) {
        const size_t row = order.rows[i];
        if (!column.empty()) x.push_back(column[row]);
        t.push_back(table.time_us[row]);
      }
      if (column.empty()) x.assign(t.size(), kNaN);
      auto computed = entity_feature(f, x, t);
      if (!computed.ok()) {
        std::string who = table.entity.empty() ? "" : " for entity '" + table.entity[order.rows[order.starts[g]]] + "'";
        return invalid_argument("feature '" + f.name + "'" + who + ": " + computed.status().message());
      }
      for (size_t i = order.starts[g]; i < order.starts[g + 1]; ++i)
        values[order.rows[i]] = (*computed)[i - order.starts[g]];
    }
    out.push_back(std::move(values));
    if (progress) progress(static_cast<double>(k + 1) / static_cast<double>(spec.features.size()));
  }
  return out;
}

}  // namespace maas::features::timeseries
