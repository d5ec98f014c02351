// The statistics cleaning steps fill and clip with, defined as pandas 1.5 defines them, computed in DuckDB over a
// column of a table on one connection (one thread at a time). Missing values (NULL, and NaN in FLOAT/DOUBLE
// columns, as pandas' isna) are left out of every statistic.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/engine/connection.h"

namespace maas::data::prep {

// A column of a table: its quoted SQL and whether its type can hold NaN.
struct ColumnRef {
  std::string table;  // a table name, as SQL text
  std::string name;   // the column's name (unquoted)
  bool floating = false;
};

// A double as DuckDB SQL text that reads back the same double (NaN and infinities included).
std::string double_sql(double value);

// SQL that is true where the column's value is missing.
std::string missing_sql(const ColumnRef& column);

// Counts of the non-missing values.
Result<int64_t> count_present(engine::Connection& c, const ColumnRef& column);
// Series.mean(): the sum (Kahan-compensated, DuckDB's fsum) over the count; nullopt when no value is present.
Result<std::optional<double>> mean(engine::Connection& c, const ColumnRef& column);
// Series.std() with ddof = 1; nullopt with fewer than two values.
Result<std::optional<double>> sample_std(engine::Connection& c, const ColumnRef& column);
// Series.quantile(q) with linear interpolation at position q·(n−1) (numpy's 'linear') between the two order
// statistics around it, which DuckDB's quantile_disc selects in one pass over the column; nullopt when no value is
// present.
Result<std::optional<double>> quantile(engine::Connection& c, const ColumnRef& column, double q);
// The same for several q over one pass (one count, one selection state): Q1 and Q3 of an IQR, a drift's bin edges.
Result<std::vector<std::optional<double>>> quantiles(engine::Connection& c, const ColumnRef& column,
                                                     const std::vector<double>& qs);

}  // namespace maas::data::prep
