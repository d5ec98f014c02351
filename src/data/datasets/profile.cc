#include "data/datasets/profile.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "data/datasets/sorted_stats.h"
#include "data/engine/sql_text.h"

namespace maas::data {
namespace {

using engine::Chunk;
using engine::ColumnKind;
using engine::quote_identifier;
using nlohmann::json;

constexpr double kQuantiles[] = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
constexpr const char* kGroups = "maas_profile_groups";

ColumnCategory category_of(const std::string& type) {
  static const char* kNumeric[] = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                                   "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE"};
  for (const char* t : kNumeric) {
    if (type == t) return ColumnCategory::kNumeric;
  }
  if (type.starts_with("DECIMAL")) return ColumnCategory::kNumeric;
  if (type == "VARCHAR") return ColumnCategory::kString;
  if (type == "BOOLEAN") return ColumnCategory::kBoolean;
  if (type == "DATE" || type.starts_with("TIME")) return ColumnCategory::kTemporal;
  return ColumnCategory::kOther;
}

bool is_floating(const std::string& type) { return type == "FLOAT" || type == "DOUBLE"; }

std::optional<double> optional_double(const engine::Column& c, size_t row) {
  if (c.is_null(row)) return std::nullopt;
  return c.kind == ColumnKind::kDouble ? c.doubles[row] : static_cast<double>(c.ints[row]);
}

Result<Chunk> one_row(engine::Connection& connection, const std::string& sql) {
  MAAS_ASSIGN_OR_RETURN(auto result, connection.query(sql));
  MAAS_ASSIGN_OR_RETURN(Chunk chunk, result.fetch_all());
  if (chunk.rows != 1) return internal_error("the profile query returned " + std::to_string(chunk.rows) + " rows");
  return chunk;
}

json json_value(const engine::Column& c, size_t row) {
  switch (c.kind) {
    case ColumnKind::kBool: return c.ints[row] != 0;
    case ColumnKind::kInt64: return c.ints[row];
    case ColumnKind::kDouble: return c.doubles[row];
    case ColumnKind::kString: return c.strings[row];
  }
  return nullptr;
}

class ColumnProfiler {
 public:
  ColumnProfiler(engine::Connection& connection, const std::string& relation, const ProfileOptions& options,
                 ColumnProfile& out)
      : connection_(connection), relation_(relation), options_(options), out_(out),
        column_(quote_identifier(out.name)), floating_(is_floating(out.type)) {
    // The value with NaN as missing, as a double: what the numeric statistics are over.
    value_ = floating_ ? "CASE WHEN isnan(" + column_ + ") THEN NULL ELSE " + column_ + "::DOUBLE END"
                       : column_ + "::DOUBLE";
  }

  Status run() {
    switch (out_.category) {
      case ColumnCategory::kNumeric: MAAS_RETURN_IF_ERROR(numeric_summary()); break;
      case ColumnCategory::kString: MAAS_RETURN_IF_ERROR(string_summary()); break;
      case ColumnCategory::kTemporal: MAAS_RETURN_IF_ERROR(temporal_summary()); break;
      default: MAAS_RETURN_IF_ERROR(counts_only()); break;
    }
    if (out_.count == 0) return {};
    if (out_.category == ColumnCategory::kNumeric) return sorted_numeric();
    return distinct_and_top_values();
  }

 private:
  std::string not_missing() const {
    return floating_ ? column_ + " IS NOT NULL AND NOT isnan(" + column_ + ")" : column_ + " IS NOT NULL";
  }

  void read_counts(const Chunk& c, size_t nans_column) {
    int64_t rows = c.columns[0].ints[0];
    int64_t non_null = c.columns[1].ints[0];
    out_.nulls = rows - non_null;
    out_.nans = nans_column > 0 ? c.columns[nans_column].ints[0] : 0;
    out_.count = non_null - out_.nans;
  }

  Status counts_only() {
    MAAS_ASSIGN_OR_RETURN(Chunk c, one_row(connection_, "SELECT count(*), count(" + column_ + ") FROM " + relation_));
    read_counts(c, 0);
    return {};
  }

  Status numeric_summary() {
    std::string nans = floating_ ? "count_if(isnan(v))" : "0";
    // Mean and std are over finite values (DuckDB's would overflow on an infinity); infinities are counted apart and
    // give pandas' answers below. count_if of no rows is NULL, hence the coalesce.
    MAAS_ASSIGN_OR_RETURN(
        Chunk c, one_row(connection_,
                         "SELECT count(*), count(v), coalesce(" + nans + ", 0)::BIGINT, "
                         "coalesce(count_if(x = 'inf'::DOUBLE), 0)::BIGINT, "
                         "coalesce(count_if(x = '-inf'::DOUBLE), 0)::BIGINT, min(x), max(x), "
                         "favg(CASE WHEN isfinite(x) THEN x END), stddev_samp(CASE WHEN isfinite(x) THEN x END) "
                         "FROM (SELECT " + column_ + " AS v, " + value_ + " AS x FROM " + relation_ + ")"));
    read_counts(c, 2);
    if (out_.count == 0) return {};
    int64_t positive = c.columns[3].ints[0], negative = c.columns[4].ints[0];
    out_.min = optional_double(c.columns[5], 0);
    out_.max = optional_double(c.columns[6], 0);
    out_.mean = optional_double(c.columns[7], 0);
    out_.std = optional_double(c.columns[8], 0);
    if (positive > 0 || negative > 0) {
      // pandas: inf - inf is NaN, so the mean of both signs is NaN, and so is any spread around an infinite mean.
      constexpr double kInf = std::numeric_limits<double>::infinity();
      out_.mean = positive > 0 && negative > 0 ? std::nan("") : positive > 0 ? kInf : -kInf;
      if (out_.count > 1) out_.std = std::nan("");
    }
    return {};
  }

  // One pass over the column in ascending order (DuckDB sorts, spilling past its memory limit) gives the distinct
  // count, the top values, the quantiles and the histogram (sorted_stats.h).
  Status sorted_numeric() {
    std::optional<HistogramBins> bins;
    MAAS_ASSIGN_OR_RETURN(auto finite, finite_range());
    if (finite) bins.emplace(finite->first, finite->second, options_.histogram_bins);
    // Integers up to 64 bits are read exactly (so large ones stay apart); the rest as doubles.
    bool exact = out_.type == "BIGINT" || out_.type == "INTEGER" || out_.type == "SMALLINT" || out_.type == "TINYINT" ||
                 out_.type == "UTINYINT" || out_.type == "USMALLINT" || out_.type == "UINTEGER";
    std::string value = exact ? column_ + "::BIGINT" : value_;
    MAAS_ASSIGN_OR_RETURN(auto result, connection_.query("SELECT x FROM (SELECT " + value + " AS x FROM " + relation_ +
                                                         ") WHERE x IS NOT NULL ORDER BY x"));
    if (exact) return consume_sorted<int64_t>(result, std::move(bins));
    return consume_sorted<double>(result, std::move(bins));
  }

  template <typename T>
  Status consume_sorted(engine::QueryResult& result, std::optional<HistogramBins> bins) {
    std::optional<std::vector<double>> edges;
    if (bins) edges = bins->edges();
    SortedStats<T> stats(out_.count, kQuantiles, options_.top_values, std::move(bins));
    int64_t seen = 0;
    for (;;) {
      MAAS_ASSIGN_OR_RETURN(auto chunk, result.next_chunk());
      if (!chunk) break;
      const engine::Column& c = chunk->columns[0];
      for (size_t i = 0; i < chunk->rows; ++i) {
        if constexpr (std::is_same_v<T, int64_t>) {
          stats.add(c.ints[i]);
        } else {
          stats.add(c.doubles[i]);
        }
      }
      seen += static_cast<int64_t>(chunk->rows);
    }
    if (seen != out_.count) {
      return internal_error("read " + std::to_string(seen) + " values of column '" + out_.name + "', expected " +
                            std::to_string(out_.count));
    }
    stats.finish();
    out_.distinct = stats.distinct();
    for (const auto& [v, n] : stats.top_values()) out_.top_values.emplace_back(json(v), n);
    std::vector<double> q = stats.quantile_values();
    for (size_t i = 0; i < q.size(); ++i) out_.quantiles.emplace_back(kQuantiles[i], q[i]);
    if (edges) out_.histogram = Histogram{*edges, stats.histogram_counts()};
    return {};
  }

  // The min and max of the finite values (the histogram's range); nullopt when there is none.
  Result<std::optional<std::pair<double, double>>> finite_range() {
    if (std::isfinite(*out_.min) && std::isfinite(*out_.max)) return std::make_optional(std::make_pair(*out_.min, *out_.max));
    MAAS_ASSIGN_OR_RETURN(Chunk c, one_row(connection_, "SELECT min(x), max(x) FROM (SELECT " + value_ + " AS x FROM " +
                                                            relation_ + ") WHERE isfinite(x)"));
    auto lo = optional_double(c.columns[0], 0), hi = optional_double(c.columns[1], 0);
    if (!lo || !hi) return std::optional<std::pair<double, double>>();
    return std::make_optional(std::make_pair(*lo, *hi));
  }

  Status string_summary() {
    MAAS_ASSIGN_OR_RETURN(Chunk c, one_row(connection_, "SELECT count(*), count(" + column_ + "), min(" + column_ +
                                                            "), max(" + column_ + "), min(length(" + column_ +
                                                            ")), max(length(" + column_ + ")), favg(length(" +
                                                            column_ + ")) FROM " + relation_));
    read_counts(c, 0);
    if (out_.count == 0) return {};
    out_.min_text = c.columns[2].strings[0];
    out_.max_text = c.columns[3].strings[0];
    out_.min_length = optional_double(c.columns[4], 0);
    out_.max_length = optional_double(c.columns[5], 0);
    out_.mean_length = optional_double(c.columns[6], 0);
    return {};
  }

  Status temporal_summary() {
    MAAS_ASSIGN_OR_RETURN(Chunk c, one_row(connection_, "SELECT count(*), count(" + column_ + "), min(" + column_ +
                                                            ")::VARCHAR, max(" + column_ + ")::VARCHAR FROM " +
                                                            relation_));
    read_counts(c, 0);
    if (out_.count == 0) return {};
    out_.min_text = c.columns[2].strings[0];
    out_.max_text = c.columns[3].strings[0];
    return {};
  }

  // Strings, booleans, dates and other types: the distinct values with their counts, grouped into a temp table
  // (which spills): its size is the exact distinct count and its largest groups are the top values. DuckDB's hash aggregate needs room for its partitions before it
  // can spill (2.5M distinct 40-byte strings fail at 192 MiB with two threads), so a column whose groups would not
  // fit a quarter of the memory limit is grouped in several passes, each over the values whose hash falls in one
  // slice: the slices are disjoint, so distinct counts add up and the top values are the best of each slice's.
  Status distinct_and_top_values() {
    std::string value = out_.category == ColumnCategory::kTemporal ? column_ + "::VARCHAR" : column_;
    MAAS_ASSIGN_OR_RETURN(int passes, grouping_passes());
    std::vector<std::pair<nlohmann::json, int64_t>> candidates;
    out_.distinct = 0;
    for (int pass = 0; pass < passes; ++pass) {
      std::string slice = passes == 1 ? "" : " AND hash(" + column_ + ") % " + std::to_string(passes) + " = " +
                                                 std::to_string(pass);
      MAAS_RETURN_IF_ERROR(connection_.execute(std::string("DROP TABLE IF EXISTS ") + kGroups + "; CREATE TEMP TABLE " +
                                               kGroups + " AS SELECT " + value + " AS v, count(*) AS n FROM " +
                                               relation_ + " WHERE " + not_missing() + slice + " GROUP BY ALL"));
      MAAS_ASSIGN_OR_RETURN(Chunk count, one_row(connection_, std::string("SELECT count(*) FROM ") + kGroups));
      out_.distinct += count.columns[0].ints[0];
      if (out_.category != ColumnCategory::kOther && options_.top_values > 0) {
        MAAS_ASSIGN_OR_RETURN(auto result, connection_.query(std::string("SELECT v, n FROM ") + kGroups +
                                                             " ORDER BY n DESC, v LIMIT " +
                                                             std::to_string(options_.top_values)));
        MAAS_ASSIGN_OR_RETURN(Chunk c, result.fetch_all());
        for (size_t i = 0; i < c.rows; ++i) candidates.emplace_back(json_value(c.columns[0], i), c.columns[1].ints[i]);
      }
      MAAS_RETURN_IF_ERROR(connection_.execute(std::string("DROP TABLE ") + kGroups));
    }
    // By count, then by value: nlohmann orders numbers by value and strings bytewise, as DuckDB does.
    std::sort(candidates.begin(), candidates.end(),
              [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    if (candidates.size() > static_cast<size_t>(options_.top_values)) candidates.resize(static_cast<size_t>(options_.top_values));
    out_.top_values = std::move(candidates);
    return {};
  }

  // How many hash slices the grouping needs so that each fits a quarter of the memory limit.
  Result<int> grouping_passes() {
    constexpr double kBytesPerGroup = 64;  // DuckDB's hash table entry, pointers and count, roughly
    double value_bytes = out_.category == ColumnCategory::kString ? *out_.mean_length * 4 : 32;
    double budget = static_cast<double>(options_.memory_limit_bytes) / 4;
    // The column's count bounds its distinct values: most columns need no estimate at all.
    if (static_cast<double>(out_.count) * (value_bytes + kBytesPerGroup) <= budget) return 1;
    std::string size = out_.category == ColumnCategory::kString ? "favg(strlen(" + column_ + "))" : "32";
    MAAS_ASSIGN_OR_RETURN(Chunk c, one_row(connection_, "SELECT approx_count_distinct(" + column_ + "), " + size +
                                                            "::DOUBLE FROM " + relation_ + " WHERE " + not_missing()));
    double estimate = static_cast<double>(c.columns[0].ints[0]) * 1.2;  // HyperLogLog is ~10% off either way
    double bytes = estimate * (c.columns[1].doubles[0] + kBytesPerGroup);
    return static_cast<int>(std::clamp(std::ceil(bytes / budget), 1.0, 256.0));
  }

  engine::Connection& connection_;
  const std::string& relation_;
  const ProfileOptions& options_;
  ColumnProfile& out_;
  std::string column_;
  bool floating_;
  std::string value_;
};

}  // namespace

Status ProfileOptions::validate() const {
  if (memory_limit_bytes < (uint64_t{16} << 20)) return invalid_argument("the profile's memory limit must be at least 16 MiB");
  if (top_values < 0 || top_values > 1000) return invalid_argument("top_values must be between 0 and 1000");
  if (histogram_bins < 1 || histogram_bins > 1000) return invalid_argument("histogram_bins must be between 1 and 1000");
  return {};
}

Result<TableProfile> profile_table(engine::Connection& connection, const std::string& relation,
                                   const ProfileOptions& options) {
  MAAS_RETURN_IF_ERROR(options.validate());
  TableProfile profile;
  profile.options = options;
  MAAS_ASSIGN_OR_RETURN(Schema schema, describe(connection, relation));
  MAAS_ASSIGN_OR_RETURN(Chunk rows, one_row(connection, "SELECT count(*) FROM " + relation));
  profile.rows = rows.columns[0].ints[0];
  for (const Field& field : schema) {
    ColumnProfile column;
    column.name = field.name;
    column.type = field.type;
    column.category = category_of(field.type);
    ColumnProfiler profiler(connection, relation, options, column);
    Status status = profiler.run();
    if (!status.ok()) return Status(status.code(), "profiling column '" + field.name + "': " + status.message());
    profile.columns.push_back(std::move(column));
  }
  return profile;
}

}  // namespace maas::data
