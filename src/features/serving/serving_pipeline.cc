#include "features/serving/serving_pipeline.h"

#include <fstream>
#include <sstream>

#include "common/json_parse.h"
#include "common/sha256.h"
#include "features/serving/raw_columns.h"

namespace maas::features {
namespace {
using runtime::DataType;
using runtime::Tensor;
using runtime::TensorSpec;
}  // namespace

Result<ServingPipeline> ServingPipeline::load(const nlohmann::json& spec, const nlohmann::json& state) {
  MAAS_ASSIGN_OR_RETURN(Pipeline pipeline, Pipeline::from_spec(spec));
  MAAS_RETURN_IF_ERROR(pipeline.load_state(state));
  std::vector<RawColumn> inputs;
  auto schema = state.find("input_schema");
  if (schema == state.end() || !schema->is_array()) return invalid_argument("the fitted state has no input_schema");
  for (const auto& entry : *schema) {
    auto name = entry.find("name");
    auto type = entry.find("type");
    if (!entry.is_object() || name == entry.end() || !name->is_string() || type == entry.end() || !type->is_string()) {
      return invalid_argument("the fitted state's input_schema is malformed");
    }
    const bool text = type->get_ref<const std::string&>() == type_name(ColumnType::kText);
    inputs.push_back({name->get<std::string>(), text ? ColumnType::kText : ColumnType::kNumber});
  }
  auto program = RowProgram::compile(spec, state, inputs, pipeline.output_columns().size());
  return ServingPipeline(std::move(pipeline), std::move(inputs), std::move(program));
}

Result<ServingPipeline> ServingPipeline::load_files(const std::string& spec_text,
                                                    const std::filesystem::path& state_path,
                                                    const std::string& state_digest) {
  MAAS_ASSIGN_OR_RETURN(std::string actual, sha256_file(state_path));
  if (actual != state_digest) {
    return internal_error("the pipeline's fitted state " + state_path.string() +
                          " does not match its digest sha256:" + state_digest);
  }
  std::ifstream in(state_path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return internal_error("cannot read the pipeline's fitted state " + state_path.string());
  MAAS_ASSIGN_OR_RETURN(nlohmann::json state, parse_json(text.str(), "the pipeline's fitted state"));
  MAAS_ASSIGN_OR_RETURN(nlohmann::json spec, parse_json(spec_text, "the pipeline's spec"));
  return load(spec, state);
}

Status ServingPipeline::check_model(const runtime::ModelSignature& model) const {
  if (model.inputs.size() != 1) {
    return invalid_argument(
        "a model served with a pipeline must have exactly one input (the feature matrix); this one has " +
        std::to_string(model.inputs.size()));
  }
  const TensorSpec& input = model.inputs.front();
  if (input.datatype != DataType::kFp32 && input.datatype != DataType::kFp64) {
    return invalid_argument("the model's input '" + input.name + "' is " +
                            std::string(runtime::datatype_name(input.datatype)) +
                            "; a pipeline's features go to an FP32 or FP64 input");
  }
  const auto width = static_cast<int64_t>(pipeline_.output_columns().size());
  if (input.shape_known && (input.shape.size() != 2 || (input.shape[1] != -1 && input.shape[1] != width))) {
    std::string shape;
    for (int64_t d : input.shape) shape += (shape.empty() ? "" : ", ") + std::to_string(d);
    return invalid_argument("the pipeline outputs " + std::to_string(width) + " columns but the model's input '" +
                            input.name + "' has shape [" + shape + "]");
  }
  return {};
}

runtime::ModelSignature ServingPipeline::client_signature(const runtime::ModelSignature& model) const {
  runtime::ModelSignature signature;
  signature.outputs = model.outputs;
  signature.batchable = model.batchable;
  for (const RawColumn& column : inputs_) {
    TensorSpec spec;
    spec.name = column.name;
    spec.datatype = column.type == ColumnType::kText ? DataType::kBytes : DataType::kFp64;
    spec.shape = {-1};
    spec.raw_column = true;
    signature.inputs.push_back(std::move(spec));
  }
  return signature;
}

Result<Tensor> ServingPipeline::to_model_input(const std::vector<Tensor>& columns,
                                               const TensorSpec& model_input) const {
  if (program_) {
    if (std::optional<Tensor> fast = program_->run(columns, model_input)) return std::move(*fast);
  }
  Table table;
  table.columns.reserve(inputs_.size());
  for (const RawColumn& raw : inputs_) {
    const Tensor* found = nullptr;
    for (const Tensor& tensor : columns) {
      if (tensor.name == raw.name) found = &tensor;
    }
    if (found == nullptr) return invalid_argument("missing input column '" + raw.name + "'");
    MAAS_ASSIGN_OR_RETURN(Column column, column_from_tensor(*found, raw.type));
    if (!table.columns.empty() && column.size() != table.rows()) {
      return invalid_argument("input column '" + raw.name + "' has " + std::to_string(column.size()) + " rows, '" +
                              table.columns.front().name + "' has " + std::to_string(table.rows()));
    }
    table.columns.push_back(std::move(column));
  }
  return transform_table(table, model_input);
}

Result<Tensor> ServingPipeline::transform_table(const Table& raw, const TensorSpec& model_input) const {
  MAAS_ASSIGN_OR_RETURN(Table features, pipeline_.transform(raw));
  return matrix_from_table(features, model_input.name, model_input.datatype);
}

}  // namespace maas::features
