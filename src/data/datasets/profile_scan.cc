// The profile's batched passes: every column's summary in one scan per batch of columns, and the value counts of
// columns with few distinct values in one scan per batch (profile_internal.h).
#include <algorithm>
#include <cmath>
#include <limits>

#include "data/datasets/profile_internal.h"
#include "data/engine/sql_text.h"

namespace maas::data::profile_detail {
namespace {

using engine::Chunk;
using engine::quote_identifier;

// Columns per summary scan: one SELECT holds up to ~10 aggregates per column, and Parquet reads only the columns a
// scan names, so batches cost little and keep a very wide table's SQL reasonable.
constexpr size_t kColumnsPerScan = 64;
constexpr const char* kValueCounts = "maas_profile_value_counts";

// One column's part of a summary scan: the values it projects once (`inner`, named after the column's place `i`) and
// the aggregates over them (`select`); returns how many aggregates there are.
size_t append_summary(const ColumnProfile& column, size_t i, std::string& inner, std::string& select) {
  const std::string c = quote_identifier(column.name);
  const std::string v = "v" + std::to_string(i);
  inner += ", " + c + " AS " + v;
  switch (column.category) {
    case ColumnCategory::kNumeric: {
      // x: the value with NaN as missing; f: its finite values. Mean and std are over finite values (DuckDB's std
      // fails on an infinity); whether there are infinities is read from min and max and gives pandas' answers.
      const std::string x = "x" + std::to_string(i), f = "f" + std::to_string(i);
      inner += ", " + numeric_value(column) + " AS " + x + ", CASE WHEN isfinite(" + x + ") THEN " + x + " END AS " + f;
      select += ", count(" + v + "), count(" + x + "), min(" + x + "), max(" + x + "), favg(" + f + "), stddev_samp(" +
                f + "), approx_count_distinct(" + x + ")";
      return 7;
    }
    case ColumnCategory::kString: {
      const std::string n = "n" + std::to_string(i);
      inner += ", length(" + c + ") AS " + n;
      select += ", count(" + v + "), min(" + v + "), max(" + v + "), min(" + n + "), max(" + n + "), favg(" + n +
                "), approx_count_distinct(" + v + ")";
      return 7;
    }
    case ColumnCategory::kTemporal:
      select +=
          ", count(" + v + "), min(" + v + ")::VARCHAR, max(" + v + ")::VARCHAR, approx_count_distinct(" + v + ")";
      return 4;
    case ColumnCategory::kBoolean:
      select += ", count(" + v + "), approx_count_distinct(" + v + ")";
      return 2;
    case ColumnCategory::kOther:
      break;
  }
  select += ", count(" + v + ")";
  return 1;
}

// Reads what append_summary asked for, from column `at` of `c`; returns the distinct estimate (-1: none).
int64_t read_summary(const Chunk& c, size_t at, int64_t rows, ColumnProfile& out) {
  const int64_t non_null = c.columns[at].ints[0];
  out.nulls = rows - non_null;
  // A numeric column's second count is of its values with NaN as missing.
  out.nans = out.category == ColumnCategory::kNumeric ? non_null - c.columns[at + 1].ints[0] : 0;
  out.count = non_null - out.nans;
  if (out.count == 0) return -1;
  switch (out.category) {
    case ColumnCategory::kNumeric: {
      out.min = optional_double(c.columns[at + 2], 0);
      out.max = optional_double(c.columns[at + 3], 0);
      out.mean = optional_double(c.columns[at + 4], 0);
      out.std = optional_double(c.columns[at + 5], 0);
      constexpr double kInf = std::numeric_limits<double>::infinity();
      const bool positive = *out.max == kInf, negative = *out.min == -kInf;
      if (positive || negative) {
        // pandas: inf - inf is NaN, so the mean of both signs is NaN, and so is any spread around an infinite mean.
        out.mean = positive && negative ? std::nan("") : positive ? kInf : -kInf;
        if (out.count > 1) out.std = std::nan("");
      }
      return c.columns[at + 6].ints[0];
    }
    case ColumnCategory::kString:
      out.min_text = c.columns[at + 1].strings[0];
      out.max_text = c.columns[at + 2].strings[0];
      out.min_length = optional_double(c.columns[at + 3], 0);
      out.max_length = optional_double(c.columns[at + 4], 0);
      out.mean_length = optional_double(c.columns[at + 5], 0);
      return c.columns[at + 6].ints[0];
    case ColumnCategory::kTemporal:
      out.min_text = c.columns[at + 1].strings[0];
      out.max_text = c.columns[at + 2].strings[0];
      return c.columns[at + 3].ints[0];
    case ColumnCategory::kBoolean:
      return c.columns[at + 1].ints[0];
    case ColumnCategory::kOther:
      break;
  }
  return -1;
}

// The SQL value whose counts a column's order statistics come from: NaN is missing, temporal values are ISO text.
std::string counted_value(const ColumnProfile& column) {
  std::string c = quote_identifier(column.name);
  switch (column.category) {
    case ColumnCategory::kNumeric:
      return is_exact_integer(column.type) ? c + "::BIGINT" : numeric_value(column);
    case ColumnCategory::kTemporal:
      return c + "::VARCHAR";
    default:
      return c;
  }
}

// Roughly what a column's value counts hold in DuckDB's aggregate state.
double value_counts_bytes(const ColumnProfile& column, int64_t estimate) {
  constexpr double kBytesPerEntry = 64;
  double value = column.category == ColumnCategory::kString ? column.mean_length.value_or(16) * 4 : 16;
  return (static_cast<double>(estimate) * 1.25 + 16) * (value + kBytesPerEntry);
}

template <typename T>
Status numeric_from_counts(engine::Connection& connection, const std::string& relation, const Chunk& counts,
                           const ProfileOptions& options, ColumnProfile& out) {
  MAAS_ASSIGN_OR_RETURN(std::optional<HistogramBins> bins, histogram_bins(connection, relation, out, options));
  std::optional<std::vector<double>> edges;
  if (bins) edges = bins->edges();
  SortedStats<T> stats(out.count, kQuantiles, options.top_values, std::move(bins));
  int64_t seen = 0;
  for (size_t i = 0; i < counts.rows; ++i) {
    const engine::Column& v = counts.columns[0];
    const int64_t n = counts.columns[1].ints[i];
    if constexpr (std::is_same_v<T, int64_t>) {
      stats.add_run(v.ints[i], n);
    } else {
      stats.add_run(v.doubles[i], n);
    }
    seen += n;
  }
  if (seen != out.count) {
    return internal_error("counted " + std::to_string(seen) + " values, expected " + std::to_string(out.count));
  }
  stats.finish();
  store_sorted(stats, edges, out);
  return {};
}

void others_from_counts(const Chunk& counts, int top_values, ColumnProfile& out) {
  out.distinct = static_cast<int64_t>(counts.rows);
  std::vector<std::pair<nlohmann::json, int64_t>> values;
  for (size_t i = 0; i < counts.rows; ++i)
    values.emplace_back(json_value(counts.columns[0], i), counts.columns[1].ints[i]);
  // By count, then by value: nlohmann orders numbers by value and strings bytewise, as DuckDB does.
  auto better = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  const size_t keep = std::min(values.size(), static_cast<size_t>(top_values));
  std::partial_sort(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(keep), values.end(), better);
  values.resize(keep);
  out.top_values = std::move(values);
}

// One scan: the value counts of every column in `batch`, kept in a temp table, then read column by column.
Status count_batch(engine::Connection& connection, const std::string& relation, std::span<ColumnProfile* const> batch,
                   const ProfileOptions& options) {
  std::string select;
  for (size_t i = 0; i < batch.size(); ++i) {
    select += (i ? ", histogram(" : "histogram(") + counted_value(*batch[i]) + ") AS h" + std::to_string(i);
  }
  MAAS_RETURN_IF_ERROR(connection.execute(std::string("DROP TABLE IF EXISTS ") + kValueCounts + "; CREATE TEMP TABLE " +
                                          kValueCounts + " AS SELECT " + select + " FROM " + relation));
  for (size_t i = 0; i < batch.size(); ++i) {
    ColumnProfile& out = *batch[i];
    const std::string h = "h" + std::to_string(i);
    MAAS_ASSIGN_OR_RETURN(auto result, connection.query("SELECT unnest(map_keys(" + h + ")) AS v, unnest(map_values(" +
                                                        h + "))::BIGINT AS n FROM " + kValueCounts + " ORDER BY v"));
    MAAS_ASSIGN_OR_RETURN(Chunk counts, result.fetch_all());
    Status status;
    if (out.category != ColumnCategory::kNumeric) {
      others_from_counts(counts, options.top_values, out);
    } else if (is_exact_integer(out.type)) {
      status = numeric_from_counts<int64_t>(connection, relation, counts, options, out);
    } else {
      status = numeric_from_counts<double>(connection, relation, counts, options, out);
    }
    if (!status.ok()) return Status(status.code(), "profiling column '" + out.name + "': " + status.message());
  }
  return connection.execute(std::string("DROP TABLE ") + kValueCounts);
}

}  // namespace

Result<std::vector<int64_t>> summarize_columns(engine::Connection& connection, const std::string& relation,
                                               std::vector<ColumnProfile>& columns, int64_t& rows) {
  std::vector<int64_t> estimates(columns.size(), -1);
  size_t begin = 0;
  do {
    const size_t end = std::min(columns.size(), begin + kColumnsPerScan);
    std::string inner = "SELECT 1 AS one", select = "SELECT count(*)";
    std::vector<size_t> at;
    for (size_t i = begin, next = 1; i < end; ++i) {
      at.push_back(next);
      next += append_summary(columns[i], i - begin, inner, select);
    }
    MAAS_ASSIGN_OR_RETURN(Chunk c, one_row(connection, select + " FROM (" + inner + " FROM " + relation + ")"));
    rows = c.columns[0].ints[0];
    for (size_t i = begin; i < end; ++i) estimates[i] = read_summary(c, at[i - begin], rows, columns[i]);
    begin = end;
  } while (begin < columns.size());
  return estimates;
}

Status profile_few_values(engine::Connection& connection, const std::string& relation,
                          std::span<ColumnProfile* const> columns, const std::vector<int64_t>& estimates,
                          const ProfileOptions& options) {
  // Batches whose counts fit an eighth of the memory limit (the aggregate cannot spill its per-group state).
  const double budget = static_cast<double>(options.memory_limit_bytes) / 8;
  size_t begin = 0;
  while (begin < columns.size()) {
    size_t end = begin + 1;
    double bytes = value_counts_bytes(*columns[begin], estimates[begin]);
    while (end < columns.size() && end - begin < kColumnsPerScan) {
      bytes += value_counts_bytes(*columns[end], estimates[end]);
      if (bytes > budget) break;
      ++end;
    }
    MAAS_RETURN_IF_ERROR(count_batch(connection, relation, columns.subspan(begin, end - begin), options));
    begin = end;
  }
  return {};
}

}  // namespace maas::data::profile_detail
