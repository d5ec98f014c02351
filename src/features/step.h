// A feature step: scikit-learn 1.2's fit/transform over named columns, its fitted state as JSON (docs/FEATURES.md
// lists each step's parameters and state). A step is fitted once, then only read: transform is const and may run on
// many threads at once; fit and load_state are not thread-safe.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "features/table.h"

namespace maas::features {

class Step {
 public:
  virtual ~Step() = default;
  // Learns the state from `input`: the step's columns, in the order the spec names them, with at least one row.
  virtual Status fit(const Table& input) = 0;
  // Applies the state to columns named and typed as fit saw them (the pipeline checks that). Values the state does
  // not cover (an unseen category, NaN where the step refuses it) are handled as its parameters say or are
  // INVALID_ARGUMENT naming the column.
  virtual Result<Table> transform(const Table& input) const = 0;
  // Fits, then transforms the data it was fitted on, as sklearn's fit_transform: the same as fit + transform except
  // for out-of-fold steps (TargetEncoder), which answer each fold with what the other folds learned. `target` is the
  // column named by target() (null for steps without one).
  virtual Result<Table> fit_transform(const Table& input, const Column* target) {
    (void)target;
    MAAS_RETURN_IF_ERROR(fit(input));
    return transform(input);
  }
  // The column a supervised step learns from (TargetEncoder's "target"), empty for the others.
  virtual std::string target() const { return {}; }
  // The fitted state, and back: load_state(state()) gives a step that transforms identically.
  virtual nlohmann::json state() const = 0;
  virtual Status load_state(const nlohmann::json& state) = 0;
};

// A step from its spec {"step": "StandardScaler", <parameters>}; `where` names it in errors.
Result<std::unique_ptr<Step>> make_step(const nlohmann::json& spec, const std::string& where);

// NaN is null in JSON states (JSON has no NaN); these convert both ways.
nlohmann::json number_json(double value);
double json_number(const nlohmann::json& value);
nlohmann::json numbers_json(const std::vector<double>& values);
std::vector<double> json_numbers(const nlohmann::json& values);

}  // namespace maas::features
