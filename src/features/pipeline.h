// A feature pipeline: scikit-learn 1.2's ColumnTransformer over column lists, each list through a sequence of steps
// (sklearn's Pipeline), remainder drop or passthrough, output names as verbose_feature_names_out. It is what a
// pipeline version stores: the spec, the fitted state (JSON, docs/FEATURES.md) and the input and output schemas.
// Fit and load_state are not thread-safe; a fitted pipeline's transform is const and may run on many threads.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "features/step.h"
#include "features/table.h"

namespace maas::features {

class Pipeline {  // NOLINT(bugprone-exception-escape): nlohmann::json members, moved, never thrown
 public:
  // Called before each step is fitted: its 0-based index over all transformers, the count, and its name.
  using Progress = std::function<void(size_t step, size_t steps, const std::string& name)>;

  // Reads and checks a spec: {"transformers": [{"name", "columns": [...], "steps": [{"step": ...}, ...]}],
  // "remainder": "drop"|"passthrough", "verbose_feature_names_out": true}. INVALID_ARGUMENT names the field.
  static Result<Pipeline> from_spec(const nlohmann::json& spec);

  // Fits every step on `data` (each on what the steps before it output, as sklearn's Pipeline) and returns the
  // data transformed as fitting saw it: out of fold for TargetEncoder, else what transform(data) gives. The named
  // columns (and each step's target) must exist, and there must be rows. A target column is never passed through
  // as remainder.
  Result<Table> fit_transform(const Table& data, const Progress& progress = {});
  Status fit(const Table& data, const Progress& progress = {});
  // Transforms `data` (fitted or loaded first): columns it lacks or of another type than at fit are
  // INVALID_ARGUMENT naming them; columns it does not use are ignored.
  Result<Table> transform(const Table& data) const;

  // {"input_schema": [{"name", "type"}], "output_columns": [...], "transformers": [[<step state>, ...], ...]}.
  nlohmann::json state() const;
  // Loads a state that state() wrote for the same spec.
  Status load_state(const nlohmann::json& state);

  // The columns fit reads, in first-use order: each transformer's and each step's target; empty when the remainder
  // is passed through, which reads every column. A fitted or loaded pipeline's transform reads input_columns().
  std::vector<std::string> columns_fit_reads() const;
  std::vector<std::string> input_columns() const;

  const nlohmann::json& spec() const { return spec_; }
  bool fitted() const { return fitted_; }
  const std::vector<std::string>& output_columns() const { return output_columns_; }

 private:
  struct Transformer {
    std::string name;
    std::vector<std::string> columns;
    std::vector<std::unique_ptr<Step>> steps;
  };
  struct InputColumn {
    std::string name;
    ColumnType type;
  };

  Result<Table> select(const Table& data, const std::vector<std::string>& columns) const;
  Status append_output(Table& out, std::set<std::string>& names, Column column, const std::string& transformer) const;
  std::string output_name(const std::string& transformer, const std::string& column) const;

  nlohmann::json spec_;
  std::vector<Transformer> transformers_;
  bool remainder_passthrough_ = false;
  bool verbose_names_ = true;
  bool fitted_ = false;
  std::vector<InputColumn> input_schema_;
  std::vector<std::string> remainder_;
  std::vector<std::string> output_columns_;
};

}  // namespace maas::features
