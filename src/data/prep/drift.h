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

// A side read from a version's snapshot file: all of it, or (part not empty) the rows whose `split_column` holds
// `part`, without that column.
DriftSide drift_side(const std::string& file, Schema schema, const std::string& part, const std::string& split_column);

// {"columns": [{"name", "kind", "count_a", "count_b", "missing_a", "missing_b", "psi", "ks"?: {"statistic", "pvalue",
// "method"}}], "max_psi"}
Result<nlohmann::json> drift(engine::Connection& c, const DriftSide& a, const DriftSide& b,
                             const DriftOptions& options);

// drift() between two versions' snapshot files as the data.drift job and the drift route ask for it: `params` as
// the kind's validate normalized them ({a, b, split_column, columns, bins}; a and b: {dataset, version, schema,
// part?}). The answer carries a, b ({dataset, version, part?}) and bins besides drift()'s.
Result<nlohmann::json> drift_of_versions(engine::Connection& c, const nlohmann::json& params, const std::string& file_a,
                                         const std::string& file_b);

}  // namespace maas::data::prep
