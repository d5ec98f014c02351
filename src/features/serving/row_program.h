// The fast form of a fitted pipeline for serving: the common steps (SimpleImputer, StandardScaler, RobustScaler and
// MaxAbsScaler on number columns, OneHotEncoder on text columns, passthrough) compiled from the spec and fitted state
// into per-column operations that read a request's tensors and write the model's input directly, with no feature
// table, no column names and no per-step copies. It computes each value with the same double arithmetic as the
// steps, so its output is bit-equal to Pipeline::transform's; anything it does not handle (another step, a value a
// step would refuse, an unseen category under handle_unknown: error) is left to Pipeline::transform, which also
// words the error. Read-only after compile; run may be called from many threads.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "features/table.h"
#include "runtime/tensor.h"

namespace maas::features {

class RowProgram {
 public:
  struct Input {
    std::string name;
    ColumnType type;
  };

  // nullopt when a step, option or column kind of the pipeline has no fast form.
  static std::optional<RowProgram> compile(const nlohmann::json& spec, const nlohmann::json& state,
                                           const std::vector<Input>& inputs, size_t output_columns);
  // The model's input for `columns`, or nullopt when this program does not handle them (the caller then runs
  // the pipeline's general transform).
  std::optional<runtime::Tensor> run(const std::vector<runtime::Tensor>& columns,
                                     const runtime::TensorSpec& model_input) const;

 private:
  // A number column through its steps: NaN becomes `fill` (SimpleImputer), then (v - center) / scale per scaler.
  struct NumberOp {
    bool impute = false;
    double fill = 0, center = 0, scale = 1;
  };
  struct NumberOutput {
    size_t input = 0;
    std::vector<NumberOp> ops;
  };
  // A text column one-hot encoded into `width` outputs: each known category's output (-1: none, the dropped one).
  struct OneHotOutput {
    size_t input = 0;
    size_t width = 0;
    std::vector<std::pair<std::string, int64_t>> position;  // sorted by category
    int64_t unknown = -1;                                   // -1: all zeros; -2: an error (left to transform)
  };
  struct Output {
    bool one_hot = false;
    size_t index = 0;  // into numbers_ or one_hots_
  };

  // The ops of a transformer's `steps` (with their fitted `states`) for its column `column`; false when a step has
  // no fast form.
  static bool number_ops(const nlohmann::json& steps, const nlohmann::json& states, size_t column,
                         std::vector<NumberOp>* ops);
  template <typename T>
  bool write(const std::vector<const runtime::Tensor*>& columns, size_t rows, T* out) const;

  std::vector<Input> inputs_;
  std::vector<NumberOutput> numbers_;
  std::vector<OneHotOutput> one_hots_;
  std::vector<Output> outputs_;  // in output column order
  size_t width_ = 0;
};

}  // namespace maas::features
