#include "data/prep/column_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "data/engine/sql_text.h"

namespace maas::data::prep {
namespace {

using engine::quote_identifier;

// The one double (or NULL) a statement yields.
Result<std::optional<double>> single_double(engine::Connection& c, const std::string& sql) {
  MAAS_ASSIGN_OR_RETURN(auto result, c.query(sql));
  MAAS_ASSIGN_OR_RETURN(engine::Chunk chunk, result.fetch_all());
  if (chunk.rows == 0 || chunk.columns.empty() || chunk.columns[0].is_null(0)) return std::optional<double>();
  const engine::Column& col = chunk.columns[0];
  if (col.kind == engine::ColumnKind::kDouble) return std::optional<double>(col.doubles[0]);
  if (col.kind == engine::ColumnKind::kInt64 || col.kind == engine::ColumnKind::kBool) {
    return std::optional<double>(static_cast<double>(col.ints[0]));
  }
  return internal_error("a statistic was not a number: " + sql);
}

std::string present_values(const ColumnRef& column, const std::string& select) {
  return "SELECT " + select + " FROM " + column.table + " WHERE NOT (" + missing_sql(column) + ")";
}

std::string as_double(const ColumnRef& column) { return "CAST(" + quote_identifier(column.name) + " AS DOUBLE)"; }

}  // namespace

std::string double_sql(double value) {
  if (std::isnan(value)) return "'nan'::DOUBLE";
  if (std::isinf(value)) return value > 0 ? "'inf'::DOUBLE" : "'-inf'::DOUBLE";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  return std::string("CAST(") + buf + " AS DOUBLE)";
}

std::string missing_sql(const ColumnRef& column) {
  const std::string c = quote_identifier(column.name);
  if (!column.floating) return c + " IS NULL";
  return "(" + c + " IS NULL OR isnan(" + c + "))";
}

Result<int64_t> count_present(engine::Connection& c, const ColumnRef& column) {
  MAAS_ASSIGN_OR_RETURN(auto n, single_double(c, present_values(column, "count(*)")));
  return static_cast<int64_t>(n.value_or(0));
}

Result<std::optional<double>> mean(engine::Connection& c, const ColumnRef& column) {
  return single_double(c, present_values(column, "fsum(" + as_double(column) + ") / count(*)"));
}

Result<std::optional<double>> sample_std(engine::Connection& c, const ColumnRef& column) {
  MAAS_ASSIGN_OR_RETURN(auto mu, mean(c, column));
  if (!mu) return mu;
  // Two passes, as pandas (nanvar: the squared deviations from the mean), so a large mean costs no precision.
  return single_double(
      c, present_values(column, "CASE WHEN count(*) < 2 THEN NULL ELSE sqrt(fsum(pow(" + as_double(column) + " - " +
                                    double_sql(*mu) + ", 2)) / (count(*) - 1)) END"));
}

Result<std::vector<std::optional<double>>> quantiles(engine::Connection& c, const ColumnRef& column,
                                                     const std::vector<double>& qs) {
  std::vector<std::optional<double>> out(qs.size());
  if (qs.empty()) return out;
  MAAS_ASSIGN_OR_RETURN(int64_t n, count_present(c, column));
  if (n == 0) return out;
  // The order statistics each q interpolates between: positions floor(q·(n−1)) and the next one.
  std::vector<int64_t> positions;
  for (double q : qs) {
    const auto below = static_cast<int64_t>(std::floor(q * static_cast<double>(n - 1)));
    positions.push_back(below);
    positions.push_back(std::min(below + 1, n - 1));
  }
  // quantile_disc with a list reads the column once and selects every position (nth_element) in one state, where
  // `ORDER BY … LIMIT 2 OFFSET k` sorted a Top-N heap of k rows per quantile. Its discrete index for q is
  // ceil(n·q) − 1, so asking for (k + 0.5) / n lands on position k with half a position to spare for rounding.
  // The state holds the column's present values (8 bytes each) outside DuckDB's memory limit.
  std::string list;
  for (int64_t k : positions) {
    list += (list.empty() ? "" : ", ") + double_sql((static_cast<double>(k) + 0.5) / static_cast<double>(n));
  }
  MAAS_ASSIGN_OR_RETURN(
      auto result, c.query(present_values(column, "unnest(quantile_disc(" + as_double(column) + ", [" + list + "]))")));
  MAAS_ASSIGN_OR_RETURN(engine::Chunk chunk, result.fetch_all());
  if (chunk.rows != positions.size() || chunk.columns[0].kind != engine::ColumnKind::kDouble) {
    return internal_error("quantile_disc did not answer one double per position");
  }
  const std::vector<double>& values = chunk.columns[0].doubles;
  for (size_t i = 0; i < qs.size(); ++i) {
    const double position = qs[i] * static_cast<double>(n - 1);
    const double fraction = position - static_cast<double>(positions[2 * i]);
    const double a = values[2 * i], b = values[2 * i + 1];
    if (fraction == 0 || positions[2 * i] == positions[2 * i + 1]) {
      out[i] = a;
      continue;
    }
    // numpy's _lerp: the same formula pandas 1.5 reaches through np.percentile.
    out[i] = fraction >= 0.5 ? b - (b - a) * (1 - fraction) : a + (b - a) * fraction;
  }
  return out;
}

Result<std::optional<double>> quantile(engine::Connection& c, const ColumnRef& column, double q) {
  MAAS_ASSIGN_OR_RETURN(auto values, quantiles(c, column, {q}));
  return values[0];
}

}  // namespace maas::data::prep
