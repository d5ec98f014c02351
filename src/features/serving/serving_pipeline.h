// A fitted feature pipeline in front of a tensor model (docs/FEATURES.md, "Serving a model with its pipeline"):
// a request's named raw columns go through the very Pipeline::transform the offline transform runs, and the model
// gets the resulting matrix as its one input, so served features equal offline ones bit for bit.
// Load once; to_model_input is const and may run on many threads.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "features/pipeline.h"
#include "features/serving/row_program.h"
#include "runtime/tensor.h"

namespace maas::features {

class ServingPipeline {
 public:
  // The spec a version was fitted with and its fitted state (Pipeline::state()'s JSON).
  static Result<ServingPipeline> load(const nlohmann::json& spec, const nlohmann::json& state);
  // The same from what maasd hands a process (a worker, a predict.batch job): the spec as JSON text and the fitted
  // state's blob, re-verified against `state_digest` (SHA-256) before it is read.
  static Result<ServingPipeline> load_files(const std::string& spec_text, const std::filesystem::path& state_path,
                                            const std::string& state_digest);

  // Whether `model` can take the pipeline's output: exactly one input, FP32 or FP64, of rank 2 whose width (when
  // the format records it) is the number of output columns. INVALID_ARGUMENT saying what differs.
  Status check_model(const runtime::ModelSignature& model) const;
  // What clients see: one raw column per input column of the pipeline (numbers: any numeric datatype, declared
  // FP64; text: BYTES), the model's outputs. Call after check_model.
  runtime::ModelSignature client_signature(const runtime::ModelSignature& model) const;
  // The model's input from a request's raw columns (shape [N] or [N, 1] each): transformed, then written as the
  // model's input `model_input` (its name and datatype), rows by output columns. INVALID_ARGUMENT naming the column for
  // a missing or malformed one, and whatever the steps refuse (NaN where a step needs values, +/-inf, an unseen
  // category under handle_unknown: error).
  Result<runtime::Tensor> to_model_input(const std::vector<runtime::Tensor>& columns,
                                         const runtime::TensorSpec& model_input) const;
  // The same from raw columns already read into a feature table (a dataset's rows in a predict.batch job): the
  // general path of to_model_input, so the model gets what serving gives it for the same values.
  Result<runtime::Tensor> transform_table(const Table& raw, const runtime::TensorSpec& model_input) const;

  const Pipeline& pipeline() const { return pipeline_; }
  // Whether the common steps' fast form (row_program.h) serves this pipeline's requests.
  bool compiled() const { return program_.has_value(); }

 private:
  using RawColumn = RowProgram::Input;
  ServingPipeline(Pipeline pipeline, std::vector<RawColumn> inputs, std::optional<RowProgram> program)
      : pipeline_(std::move(pipeline)), inputs_(std::move(inputs)), program_(std::move(program)) {}

  Pipeline pipeline_;
  std::vector<RawColumn> inputs_;      // the fitted input schema, in its order
  std::optional<RowProgram> program_;  // the fast form, when every step has one
};

}  // namespace maas::features
