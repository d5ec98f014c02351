// What the profile's files share (profile.cc drives, profile_scan.cc batches columns into few scans): the column
// categories, the SQL of a column's numeric value, and the step that turns an ascending stream of values into the
// order statistics. Internal to src/data/datasets; stateless helpers, used on the profiling thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "data/datasets/profile.h"
#include "data/datasets/sorted_stats.h"
#include "data/engine/connection.h"

namespace maas::data::profile_detail {

inline constexpr double kQuantiles[] = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

ColumnCategory category_of(const std::string& type);
bool is_floating(const std::string& type);
// Integer types that fit int64 exactly: their order statistics are computed on int64 so large values stay apart.
bool is_exact_integer(const std::string& type);
// SQL for the column's value as DOUBLE with NaN as NULL: what the numeric statistics are over.
std::string numeric_value(const ColumnProfile& column);

std::optional<double> optional_double(const engine::Column& c, size_t row);
nlohmann::json json_value(const engine::Column& c, size_t row);
Result<engine::Chunk> one_row(engine::Connection& connection, const std::string& sql);

// numpy's histogram bins over the column's finite values (a query only when min or max is infinite); nullopt when
// there is no finite value.
Result<std::optional<HistogramBins>> histogram_bins(engine::Connection& connection, const std::string& relation,
                                                    const ColumnProfile& column, const ProfileOptions& options);

// Copies what `stats` found (after finish()) into `column`: distinct, top values, quantiles and the histogram.
template <typename T>
void store_sorted(const SortedStats<T>& stats, const std::optional<std::vector<double>>& edges, ColumnProfile& column) {
  column.distinct = stats.distinct();
  for (const auto& [v, n] : stats.top_values()) column.top_values.emplace_back(nlohmann::json(v), n);
  std::vector<double> q = stats.quantile_values();
  for (size_t i = 0; i < q.size(); ++i) column.quantiles.emplace_back(kQuantiles[i], q[i]);
  if (edges) column.histogram = Histogram{*edges, stats.histogram_counts()};
}

// One scan per batch of columns for every column's counts, missing values, min/max/mean/std and string lengths (the
// definitions of profile.h). Fills those fields and `rows`; returns each column's HyperLogLog estimate of its
// distinct values (-1 where not estimated), which chooses how its order statistics are computed.
Result<std::vector<int64_t>> summarize_columns(engine::Connection& connection, const std::string& relation,
                                               std::vector<ColumnProfile>& columns, int64_t& rows);

// Exact value counts of columns with few distinct values, many columns per scan (DuckDB's histogram aggregate), and
// from them the distinct count, top values and, for numeric columns, quantiles and histogram: the same numbers as the
// one-column-at-a-time sort or grouping, at a fraction of the passes.
Status profile_few_values(engine::Connection& connection, const std::string& relation,
                          std::span<ColumnProfile* const> columns, const std::vector<int64_t>& estimates,
                          const ProfileOptions& options);

}  // namespace maas::data::profile_detail
