// A cleaning recipe: the declarative steps that turn one dataset version into a new one (docs/DATA.md, "Cleaning"),
// read from JSON and checked against the input's schema before any data is read. Plain values; no threading.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/datasets/schema.h"

namespace maas::data::prep {

enum class StepKind { kDeduplicate, kDropMissing, kFillMissing, kClip, kCast, kFilter };
enum class FillStrategy { kMean, kMedian, kMode, kConstant, kForwardFill };
enum class ClipMethod { kIqr, kZScore, kQuantile };
enum class CastFailure { kNull, kReject };

struct Step {
  StepKind kind = StepKind::kDeduplicate;
  // deduplicate: the key (empty: the whole row); drop_missing: the columns checked (empty: all);
  // fill_missing ffill: the group (may be empty).
  std::vector<std::string> columns;
  std::string column;  // fill_missing, clip, cast, filter
  FillStrategy fill = FillStrategy::kMean;
  nlohmann::json value =
      nlohmann::json::value_t::null;  // fill_missing constant; filter's operand (a scalar, or an array for in / not_in)
  std::string order_by;               // fill_missing ffill
  ClipMethod clip = ClipMethod::kIqr;
  double k = 0;                 // iqr, zscore
  double lower = 0, upper = 1;  // quantile
  std::string type;             // cast: the target type
  CastFailure on_error = CastFailure::kNull;
  std::string op;  // filter: = != < <= > >= in not_in is_null not_null
};

struct Recipe {
  std::vector<Step> steps;
};

inline constexpr size_t kMaxSteps = 256;

// Reads {"steps": [{"step": "...", ...}]}. Strict: unknown fields, wrong types and bad values are INVALID_ARGUMENT
// with a message naming the step (1-based) and the field.
Result<Recipe> recipe_from_json(const nlohmann::json& j);

// Checks every step against the schema the previous steps leave (columns exist, numeric where a statistic needs a
// number, constants and filter operands of the column's kind), and returns the schema the recipe produces.
Result<Schema> check_recipe(const Recipe& recipe, Schema schema);

// The recipe as recipe_from_json reads it (recorded in the new version's lineage).
nlohmann::json recipe_to_json(const Recipe& recipe);

// Numeric and text types as the recipe's checks classify DuckDB's type names.
bool is_numeric_type(const std::string& type);
bool is_floating_type(const std::string& type);
bool is_text_type(const std::string& type);

}  // namespace maas::data::prep
