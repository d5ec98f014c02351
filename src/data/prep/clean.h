// Runs a cleaning recipe (recipe.h) over a Parquet snapshot in DuckDB SQL and writes the cleaned rows, in the input's
// row order, to a new Parquet snapshot, and the rows a cast rejected to a rejects file (import.h's rejects_schema(),
// `line` being the row's 1-based position in the input). Every step reports its counts.
//
// Thread-safety: uses the connection it is given (one thread at a time); its database must read `input` and write
// the target paths. Temp tables live in that database and spill under its memory limit.
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "data/datasets/dataset_registry.h"
#include "data/engine/connection.h"
#include "data/prep/recipe.h"

namespace maas::data::prep {

struct CleanResult {
  DerivedTable table;
  // One object per step: {"step", "rows_in", "rows_out", ...its own counts and the values it used}.
  nlohmann::json steps = nlohmann::json::array();
};

// The recipe must have passed check_recipe against the input's schema; a column the data contradicts (a cast that
// DuckDB cannot express) is INVALID_ARGUMENT.
// `on_step` (when set) is called once the input is loaded (0, null) and after each step (its 1-based number, its
// report as in CleanResult::steps).
using CleanStepHook = std::function<void(size_t done, const nlohmann::json& step)>;
Result<CleanResult> clean_snapshot(engine::Connection& connection, const std::filesystem::path& input,
                                   const Recipe& recipe, const ImportTarget& target, const CleanStepHook& on_step = {});

}  // namespace maas::data::prep
