// Train/validation/test splits of a dataset version (docs/DATA.md, "Splits"): random, stratified by a column, grouped
// (a group's rows stay together) or by a column's order, written as one new snapshot with a `split` column. The
// assignment depends only on the seed and each row's position in the input file (an integer hash of both, a
// group's: an MD5 of the seed and its value), never on DuckDB's thread order, so the same seed over the same version
// gives the same rows.
//
// Thread-safety: split_snapshot uses the connection it is given (one thread at a time).
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "data/datasets/dataset_registry.h"
#include "data/engine/connection.h"

namespace maas::data::prep {

enum class SplitMethod { kRandom, kStratified, kGrouped, kTime };

struct SplitSpec {
  SplitMethod method = SplitMethod::kRandom;
  double train = 0, validation = 0, test = 0;  // fractions, summing to 1
  int64_t seed = 0;
  std::string column;                  // stratified: the label; grouped: the group; time: the order
  std::string split_column = "split";  // the column the new version gets
};

// Reads {"method", "fractions": {"train", "validation"?, "test"?}, "seed"?, "column"?, "split_column"?}; strict.
Result<SplitSpec> split_spec_from_json(const nlohmann::json& j);
// Checks the spec against the input's columns: `column` exists, `split_column` does not.
Status check_split(const SplitSpec& spec, const Schema& schema);
nlohmann::json split_spec_to_json(const SplitSpec& spec);

struct SplitResult {
  DerivedTable table;
  nlohmann::json counts = nlohmann::json::object();  // rows per part
};

Result<SplitResult> split_snapshot(engine::Connection& connection, const std::filesystem::path& input,
                                   const SplitSpec& spec, const ImportTarget& target);

}  // namespace maas::data::prep
