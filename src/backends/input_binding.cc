// Request-to-signature matching shared by the backends; see input_binding.h.
#include "backends/input_binding.h"

#include <cstdint>
#include <cstring>
#include <string>

namespace maas::backends {
namespace {

std::string declared_names(const std::vector<runtime::TensorSpec>& specs) {
  std::string names;
  for (const auto& spec : specs) names += (names.empty() ? "'" : ", '") + spec.name + "'";
  return names.empty() ? "none" : names;
}

const runtime::TensorSpec* find_spec(const std::vector<runtime::TensorSpec>& specs, const std::string& name) {
  for (const auto& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace

Result<std::vector<const runtime::Tensor*>> bind_inputs(std::string_view backend,
                                                        const runtime::ExecuteRequest& request,
                                                        const std::vector<runtime::TensorSpec>& specs) {
  const std::string prefix = std::string(backend) + ": ";
  bool any_named = false;
  for (size_t i = 0; i < request.inputs.size(); ++i) {
    const auto& name = request.inputs[i].name;
    if (find_spec(specs, name)) any_named = true;
    for (size_t j = 0; j < i; ++j) {
      if (request.inputs[j].name == name) return invalid_argument(prefix + "input '" + name + "' is given twice");
    }
  }
  std::vector<const runtime::Tensor*> bound(specs.size(), nullptr);
  if (!any_named && request.inputs.size() == specs.size()) {
    for (size_t i = 0; i < specs.size(); ++i) bound[i] = &request.inputs[i];
  } else {
    for (const auto& tensor : request.inputs) {
      const runtime::TensorSpec* spec = find_spec(specs, tensor.name);
      if (!spec) {
        return invalid_argument(prefix + "unknown input '" + tensor.name + "'; the model's inputs are " +
                                declared_names(specs));
      }
      bound[static_cast<size_t>(spec - specs.data())] = &tensor;
    }
    for (size_t i = 0; i < specs.size(); ++i) {
      if (!bound[i]) return invalid_argument(prefix + "missing input '" + specs[i].name + "'");
    }
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    Status valid = runtime::validate_tensor(*bound[i]);
    if (!valid.ok()) return invalid_argument(prefix + "input '" + specs[i].name + "': " + valid.message());
  }
  return bound;
}

Status check_shape(std::string_view backend, const runtime::Tensor& tensor, const runtime::TensorSpec& spec) {
  if (!spec.shape_known) return {};
  bool fits = tensor.shape.size() == spec.shape.size();
  for (size_t i = 0; fits && i < spec.shape.size(); ++i) {
    fits = spec.shape[i] < 0 || spec.shape[i] == tensor.shape[i];
  }
  if (fits) return {};
  return invalid_argument(std::string(backend) + ": input '" + spec.name + "' has shape " +
                          shape_string(tensor.shape) + ", but the model expects " + shape_string(spec.shape) +
                          " (-1 is any size)");
}

Result<std::vector<size_t>> select_outputs(std::string_view backend, const std::vector<std::string>& wanted,
                                           const std::vector<runtime::TensorSpec>& specs) {
  std::vector<size_t> indices;
  if (wanted.empty()) {
    for (size_t i = 0; i < specs.size(); ++i) indices.push_back(i);
    return indices;
  }
  for (const auto& name : wanted) {
    const runtime::TensorSpec* spec = find_spec(specs, name);
    if (!spec) {
      return invalid_argument(std::string(backend) + ": unknown output '" + name + "'; the model's outputs are " +
                              declared_names(specs));
    }
    indices.push_back(static_cast<size_t>(spec - specs.data()));
  }
  return indices;
}

const std::byte* aligned_data(const runtime::Tensor& tensor, std::vector<std::byte>& scratch) {
  size_t alignment = runtime::datatype_size(tensor.datatype);
  const std::byte* data = tensor.data.data();
  if (alignment <= 1 || reinterpret_cast<uintptr_t>(data) % alignment == 0) return data;
  // operator new aligns to alignof(max_align_t), which covers every fixed-size datatype.
  scratch.resize(tensor.data.size());
  std::memcpy(scratch.data(), data, tensor.data.size());
  return scratch.data();
}

}  // namespace maas::backends
