// check_against_signature: whether a parsed request fits a model's declared inputs and outputs.
#include <string>

#include "protocol/json_text.h"
#include "protocol/kserve_v2.h"

namespace maas::protocol {
namespace {

using runtime::TensorSpec;

const TensorSpec* find_spec(const std::vector<TensorSpec>& specs, std::string_view name) {
  for (const TensorSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// "'a', 'b'": what the model has, for a message about a name it does not.
std::string name_list(const std::vector<TensorSpec>& specs) {
  if (specs.empty()) return "none";
  std::string list;
  for (const TensorSpec& spec : specs) {
    if (!list.empty()) list += ", ";
    list += quoted_name(spec.name);
  }
  return list;
}

// A pipeline's raw column: a number column takes any numeric datatype, a text column strings; one column each.
Status check_raw_column(const runtime::Tensor& input, const TensorSpec& spec, const std::string& label) {
  const bool text = spec.datatype == runtime::DataType::kBytes;
  const bool bytes = input.datatype == runtime::DataType::kBytes;
  if (text != bytes || input.datatype == runtime::DataType::kFp16) {
    return invalid_argument(
        label + " is a " +
        (text ? "text column: send BYTES (strings)" : "number column: send FP32, FP64, INT*, UINT* or BOOL") +
        ", not " + std::string(runtime::datatype_name(input.datatype)));
  }
  if (!(input.shape.size() == 1 || (input.shape.size() == 2 && input.shape[1] == 1))) {
    return invalid_argument(label + " has shape " + shape_text(input.shape) + "; a column is [N] or [N, 1]");
  }
  return {};
}

Status check_input(const runtime::Tensor& input, const TensorSpec& spec) {
  const std::string label = "input " + quoted_name(input.name);
  if (spec.raw_column) return check_raw_column(input, spec, label);
  if (input.datatype != spec.datatype) {
    return invalid_argument(label + " has datatype " + std::string(runtime::datatype_name(input.datatype)) +
                            " but the model expects " + std::string(runtime::datatype_name(spec.datatype)));
  }
  if (!spec.shape_known) return {};
  if (input.shape.size() != spec.shape.size()) {
    return invalid_argument(label + " has shape " + shape_text(input.shape) + " of rank " +
                            std::to_string(input.shape.size()) + " but the model expects rank " +
                            std::to_string(spec.shape.size()) + ", shape " + shape_text(spec.shape));
  }
  for (size_t d = 0; d < spec.shape.size(); ++d) {
    if (spec.shape[d] != -1 && spec.shape[d] != input.shape[d]) {
      return invalid_argument(label + " has shape " + shape_text(input.shape) + " but the model expects " +
                              shape_text(spec.shape) + ": dimension " + std::to_string(d) + " must be " +
                              std::to_string(spec.shape[d]));
    }
  }
  return {};
}

}  // namespace

Status check_input_names(const InferRequest& request, const runtime::ModelSignature& signature) {
  for (const runtime::Tensor& input : request.inputs) {
    if (find_spec(signature.inputs, input.name) == nullptr) {
      return invalid_argument("unknown input " + quoted_name(input.name) + "; the model's inputs are " +
                              name_list(signature.inputs));
    }
  }
  return {};
}

Status check_against_signature(const InferRequest& request, const runtime::ModelSignature& signature) {
  MAAS_RETURN_IF_ERROR(check_input_names(request, signature));
  for (const TensorSpec& spec : signature.inputs) {
    const runtime::Tensor* found = nullptr;
    for (const runtime::Tensor& input : request.inputs) {
      if (input.name == spec.name) found = &input;
    }
    if (found == nullptr) return invalid_argument("missing input " + quoted_name(spec.name));
    MAAS_RETURN_IF_ERROR(check_input(*found, spec));
  }
  for (const RequestedOutput& output : request.outputs) {
    if (find_spec(signature.outputs, output.name) == nullptr) {
      return invalid_argument("unknown output " + quoted_name(output.name) + "; the model's outputs are " +
                              name_list(signature.outputs));
    }
  }
  return {};
}

}  // namespace maas::protocol
