// Distribution shift between two tables (two dataset versions, or two parts of a split): per column, the population
// stability index over stated bins and, for numeric columns, the two-sample Kolmogorov–Smirnov statistic and its
// p-value as scipy.stats.ks_2samp computes them (ks.h; docs/DATA.md, "Drift"). Computed in DuckDB; missing values
// (NULL, NaN) are a bin of their own for PSI and left out of KS.
//
// Thread-safety: drift() uses the connection it is given (one thread at a time).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/datasets/schema.h"
#include "data/engine/connection.h"

namespace maas::data::prep {

struct DriftSide {
  std::string relation;  // SQL that can follow FROM (a Parquet file, filtered to a split's part)
  Schema schema;
};

struct DriftOptions {
  std::vector<std::string> columns;  // empty: every column both sides have
  int bins = 10;                     // numeric PSI: quantile bins of side a
};

inline constexpr double kPsiFloor = 1e-4;

// {"columns": [{"name", "kind", "count_a", "count_b", "missing_a", "missing_b", "psi", "ks"?: {"statistic", "pvalue",
// "method"}}], "max_psi"}
Result<nlohmann::json> drift(engine::Connection& c, const DriftSide& a, const DriftSide& b,
                             const DriftOptions& options);

}  // namespace maas::data::prep
