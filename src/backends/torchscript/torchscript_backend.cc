// TorchscriptBackend: the only file that includes LibTorch; loads a module, reads forward()'s schema, runs it.
#include "backends/torchscript/torchscript_backend.h"

// LibTorch's headers stay in this file only; these are the narrowest that declare what is used.
#include <ATen/Parallel.h>
#include <ATen/ops/from_blob.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/jit/serialization/import.h>

#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "backends/artifact.h"
#include "backends/input_binding.h"

namespace maas::backends {
namespace {

constexpr std::string_view kName = "torchscript";

struct DataTypePair {
  runtime::DataType ours;
  c10::ScalarType torch;
};

constexpr DataTypePair kDataTypes[] = {
    {runtime::DataType::kBool, c10::ScalarType::Bool},     {runtime::DataType::kUint8, c10::ScalarType::Byte},
    {runtime::DataType::kInt8, c10::ScalarType::Char},     {runtime::DataType::kInt16, c10::ScalarType::Short},
    {runtime::DataType::kInt32, c10::ScalarType::Int},     {runtime::DataType::kInt64, c10::ScalarType::Long},
    {runtime::DataType::kFp16, c10::ScalarType::Half},     {runtime::DataType::kFp32, c10::ScalarType::Float},
    {runtime::DataType::kFp64, c10::ScalarType::Double},
};

std::optional<c10::ScalarType> to_torch(runtime::DataType type) {
  for (const auto& pair : kDataTypes) {
    if (pair.ours == type) return pair.torch;
  }
  return std::nullopt;
}

std::optional<runtime::DataType> from_torch(c10::ScalarType type) {
  for (const auto& pair : kDataTypes) {
    if (pair.torch == type) return pair.ours;
  }
  return std::nullopt;
}

// A c10::Error's what() carries a C++ backtrace; a TorchScript error also its script traceback, whose last line
// is the actual complaint ("RuntimeError: mat1 and mat2 shapes cannot be multiplied (8x5 and 4x16)").
std::string concise(const std::exception& e) {
  const auto* c10_error = dynamic_cast<const c10::Error*>(&e);
  std::string text = c10_error ? c10_error->what_without_backtrace() : e.what();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  size_t line = text.rfind('\n');
  return line == std::string::npos ? text : text.substr(line + 1);
}

// Inter-op threads can be set only once per process, and only before any inter-op work has started.
void set_interop_threads_once(int threads) {
  static std::once_flag once;
  std::call_once(once, [threads] {
    try {
      at::set_num_interop_threads(threads);
    } catch (const std::exception&) {
      // Something in this process already started the inter-op pool; it keeps its size.
    }
  });
}

std::string describe_inputs(const std::vector<const runtime::Tensor*>& inputs) {
  std::string out;
  for (const auto* t : inputs) {
    out += (out.empty() ? "'" : ", '") + t->name + "' " + std::string(runtime::datatype_name(t->datatype)) + " " +
           shape_string(t->shape);
  }
  return out;
}

}  // namespace

struct TorchscriptBackend::Module {
  torch::jit::Module module;
};

TorchscriptBackend::TorchscriptBackend() = default;
TorchscriptBackend::~TorchscriptBackend() = default;

Status TorchscriptBackend::load(const std::filesystem::path& artifact, const runtime::BackendConfig& config) {
  if (module_) return failed_precondition("torchscript: a model is already loaded");
  MAAS_RETURN_IF_ERROR(inspect_before_load(kName, artifact, formats::Framework::kTorchscript).status());
  auto module = std::make_unique<Module>();
  runtime::ModelSignature signature;
  try {
    module->module = torch::jit::load(artifact.string(), c10::Device(c10::DeviceType::CPU));
    module->module.eval();
    auto forward = module->module.find_method("forward");
    if (!forward) return invalid_argument("torchscript: the module has no forward() method");
    const c10::FunctionSchema& schema = forward->function().getSchema();
    // The first argument is the module itself.
    for (size_t i = 1; i < schema.arguments().size(); ++i) {
      const c10::Argument& argument = schema.arguments()[i];
      if (argument.type()->kind() == c10::TypeKind::TensorType) {
        signature.inputs.push_back({argument.name(), runtime::DataType::kFp32, {-1}, /*shape_known=*/false});
      } else if (!argument.default_value()) {
        return invalid_argument("torchscript: forward() argument '" + argument.name() + "' is " +
                                argument.type()->annotation_str() + "; only Tensor arguments can be fed");
      }
    }
    if (schema.returns().size() != 1) return invalid_argument("torchscript: forward() must return one value");
    const c10::TypePtr& returned = schema.returns()[0].type();
    size_t output_count = 0;
    if (returned->kind() == c10::TypeKind::TensorType) {
      output_count = 1;
    } else if (auto tuple = returned->cast<c10::TupleType>()) {
      bool all_tensors = true;
      for (const auto& element : tuple->elements()) {
        all_tensors = all_tensors && element->kind() == c10::TypeKind::TensorType;
      }
      if (all_tensors) output_count = tuple->elements().size();
    }
    if (output_count == 0) {
      return invalid_argument("torchscript: forward() returns " + returned->annotation_str() +
                              "; only a Tensor or a tuple of Tensors is supported");
    }
    for (size_t i = 0; i < output_count; ++i) {
      signature.outputs.push_back({"output__" + std::to_string(i), runtime::DataType::kFp32, {-1}, /*shape_known=*/false});
    }
  } catch (const std::exception& e) {
    return invalid_argument("torchscript: cannot load '" + artifact.string() + "': " + concise(e));
  }

  threads_ = config.threads;
  try {
    at::set_num_threads(threads_);
  } catch (const std::exception& e) {
    return invalid_argument("torchscript: cannot use " + std::to_string(threads_) + " threads: " + concise(e));
  }
  set_interop_threads_once(threads_);
  module_ = std::move(module);
  signature_ = std::move(signature);
  return {};
}

Result<std::vector<runtime::Tensor>> TorchscriptBackend::execute(const runtime::ExecuteRequest& request) {
  if (!module_) return failed_precondition("torchscript: no model is loaded");
  MAAS_ASSIGN_OR_RETURN(auto inputs, bind_inputs(kName, request, signature_.inputs));
  MAAS_ASSIGN_OR_RETURN(auto wanted, select_outputs(kName, request.outputs, signature_.outputs));
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!to_torch(inputs[i]->datatype)) {
      return invalid_argument("torchscript: input '" + signature_.inputs[i].name + "' has datatype " +
                              std::string(runtime::datatype_name(inputs[i]->datatype)) +
                              ", which LibTorch has no tensor type for");
    }
  }

  std::vector<runtime::Tensor> outputs;
  try {
    c10::InferenceMode inference_mode;
    // OpenMP keeps the thread count per calling thread; execute may run on a different thread than load.
    if (at::get_num_threads() != threads_) at::set_num_threads(threads_);
    std::vector<std::vector<std::byte>> scratch(inputs.size());
    std::vector<at::Tensor> borrowed;
    std::unordered_map<std::string, c10::IValue> arguments;
    for (size_t i = 0; i < inputs.size(); ++i) {
      const runtime::Tensor& input = *inputs[i];
      // Borrowed, not copied: the module reads the request's bytes in place (modules do not write their inputs).
      void* data = const_cast<std::byte*>(aligned_data(input, scratch[i]));
      borrowed.push_back(at::from_blob(data, input.shape, at::TensorOptions().dtype(*to_torch(input.datatype))));
      arguments.emplace(signature_.inputs[i].name, borrowed.back());
    }
    c10::IValue result;
    try {
      result = module_->module.get_method("forward")({}, arguments);
    } catch (const std::exception& e) {
      return invalid_argument("torchscript: forward() failed on inputs " + describe_inputs(inputs) + ": " +
                              concise(e));
    }

    std::vector<at::Tensor> tensors;
    if (result.isTensor()) {
      tensors.push_back(result.toTensor());
    } else if (result.isTuple()) {
      for (const auto& element : result.toTupleRef().elements()) tensors.push_back(element.toTensor());
    }
    if (tensors.size() != signature_.outputs.size()) {
      return internal_error("torchscript: forward() returned " + std::to_string(tensors.size()) +
                            " tensors, its schema promises " + std::to_string(signature_.outputs.size()));
    }
    for (size_t index : wanted) {
      at::Tensor tensor = tensors[index].to(c10::Device(c10::DeviceType::CPU)).contiguous();
      if (tensor.scalar_type() == c10::ScalarType::BFloat16) tensor = tensor.to(c10::ScalarType::Float);
      std::optional<runtime::DataType> datatype = from_torch(tensor.scalar_type());
      if (!datatype) {
        return invalid_argument("torchscript: output '" + signature_.outputs[index].name + "' has dtype " +
                                std::string(c10::toString(tensor.scalar_type())) + ", which has no KServe datatype");
      }
      // The output may be an input or a view of one, whose bytes are only borrowed for this call.
      for (const auto& input : borrowed) {
        if (tensor.is_alias_of(input)) tensor = tensor.clone();
      }
      runtime::Tensor out;
      out.name = signature_.outputs[index].name;
      out.datatype = *datatype;
      out.shape.assign(tensor.sizes().begin(), tensor.sizes().end());
      // Shared, not copied: the buffer keeps the tensor (and so its storage) alive.
      auto owner = std::make_shared<at::Tensor>(tensor);
      out.data = runtime::Buffer(owner, static_cast<const std::byte*>(owner->data_ptr()), owner->nbytes());
      outputs.push_back(std::move(out));
    }
  } catch (const std::exception& e) {
    return internal_error("torchscript: " + concise(e));
  }
  return outputs;
}

}  // namespace maas::backends
