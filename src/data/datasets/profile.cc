#include "data/datasets/profile.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "data/datasets/profile_internal.h"
#include "data/engine/sql_text.h"

namespace maas::data {
namespace profile_detail {

using engine::Chunk;
using engine::ColumnKind;

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

bool is_exact_integer(const std::string& type) {
  return type == "BIGINT" || type == "INTEGER" || type == "SMALLINT" || type == "TINYINT" || type == "UTINYINT" ||
         type == "USMALLINT" || type == "UINTEGER";
}

std::string numeric_value(const ColumnProfile& column) {
  const std::string c = engine::quote_identifier(column.name);
  return is_floating(column.type) ? "CASE WHEN isnan(" + c + ") THEN NULL ELSE " + c + "::DOUBLE END" : c + "::DOUBLE";
}

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

nlohmann::json json_value(const engine::Column& c, size_t row) {
  switch (c.kind) {
    case ColumnKind::kBool: return c.ints[row] != 0;
    case ColumnKind::kInt64: return c.ints[row];
    case ColumnKind::kDouble: return c.doubles[row];
    case ColumnKind::kString: return c.strings[row];
  }
  return nullptr;
}

Result<std::optional<HistogramBins>> histogram_bins(engine::Connection& connection, const std::string& relation,
                                                    const ColumnProfile& column, const ProfileOptions& options) {
  std::optional<double> lo = column.min, hi = column.max;
  if (!(lo && hi && std::isfinite(*lo) && std::isfinite(*hi))) {
    MAAS_ASSIGN_OR_RETURN(Chunk c, one_row(connection, "SELECT min(x), max(x) FROM (SELECT " + numeric_value(column) +
                                                           " AS x FROM " + relation + ") WHERE isfinite(x)"));
    lo = optional_double(c.columns[0], 0);
    hi = optional_double(c.columns[1], 0);
  }
  if (!lo || !hi) return std::optional<HistogramBins>();
  return std::make_optional(HistogramBins(*lo, *hi, options.histogram_bins));
}

}  // namespace profile_detail

namespace {

using engine::Chunk;
using engine::quote_identifier;
using nlohmann::json;
using namespace profile_detail;

// Columns whose HyperLogLog estimate is at most this many distinct values are counted by value, many columns per
// scan (profile_scan.cc); the others are sorted (numeric) or grouped (the rest) one column at a time.
constexpr int64_t kFewValues = 4096;
constexpr const char* kGroups = "maas_profile_groups";

// The order statistics of one column with many distinct values (its summary already in `out`).
class ColumnProfiler {
 public:
  ColumnProfiler(engine::Connection& connection, const std::string& relation, const ProfileOptions& options,
                 ColumnProfile& out)
      : connection_(connection),
        relation_(relation),
        options_(options),
        out_(out),
        column_(quote_identifier(out.name)),
        floating_(is_floating(out.type)) {}

  Status run() {
    if (out_.category == ColumnCategory::kNumeric) return sorted_numeric();
    return distinct_and_top_values();
  }

 private:
  std::string not_missing() const {
    return floating_ ? column_ + " IS NOT NULL AND NOT isnan(" + column_ + ")" : column_ + " IS NOT NULL";
  }

  // One pass over the column in ascending order (DuckDB sorts, spilling past its memory limit) gives the distinct
  // count, the top values, the quantiles and the histogram (sorted_stats.h).
  Status sorted_numeric() {
    MAAS_ASSIGN_OR_RETURN(std::optional<HistogramBins> bins, histogram_bins(connection_, relation_, out_, options_));
    // Integers up to 64 bits are read exactly (so large ones stay apart); the rest as doubles.
    bool exact = is_exact_integer(out_.type);
    std::string value = exact ? column_ + "::BIGINT" : numeric_value(out_);
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
    store_sorted(stats, edges, out_);
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
  for (const Field& field : schema) {
    ColumnProfile& column = profile.columns.emplace_back();
    column.name = field.name;
    column.type = field.type;
    column.category = category_of(field.type);
  }
  MAAS_ASSIGN_OR_RETURN(std::vector<int64_t> estimates,
                        summarize_columns(connection, relation, profile.columns, profile.rows));
  std::vector<ColumnProfile*> few;
  std::vector<int64_t> few_estimates;
  for (size_t i = 0; i < profile.columns.size(); ++i) {
    ColumnProfile& column = profile.columns[i];
    if (column.count == 0) continue;
    if (estimates[i] >= 0 && estimates[i] <= kFewValues) {
      few.push_back(&column);
      few_estimates.push_back(estimates[i]);
      continue;
    }
    ColumnProfiler profiler(connection, relation, options, column);
    Status status = profiler.run();
    if (!status.ok()) return Status(status.code(), "profiling column '" + column.name + "': " + status.message());
  }
  MAAS_RETURN_IF_ERROR(profile_few_values(connection, relation, few, few_estimates, options));
  return profile;
}

}  // namespace maas::data
