#include "data/prep/column_stats.h"

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

Result<std::optional<double>> quantile(engine::Connection& c, const ColumnRef& column, double q) {
  MAAS_ASSIGN_OR_RETURN(int64_t n, count_present(c, column));
  if (n == 0) return std::optional<double>();
  const double position = q * static_cast<double>(n - 1);
  const auto below = static_cast<int64_t>(std::floor(position));
  const double fraction = position - static_cast<double>(below);
  MAAS_ASSIGN_OR_RETURN(auto result, c.query(present_values(column, as_double(column)) + " ORDER BY 1 LIMIT 2 OFFSET " +
                                             std::to_string(below)));
  MAAS_ASSIGN_OR_RETURN(engine::Chunk chunk, result.fetch_all());
  if (chunk.rows == 0) return internal_error("the sorted column ended early");
  const double a = chunk.columns[0].doubles[0];
  if (chunk.rows == 1 || fraction == 0) return std::optional<double>(a);
  const double b = chunk.columns[0].doubles[1];
  // numpy's _lerp: the same formula pandas 1.5 reaches through np.percentile.
  double value = fraction >= 0.5 ? b - (b - a) * (1 - fraction) : a + (b - a) * fraction;
  return std::optional<double>(value);
}

}  // namespace maas::data::prep
