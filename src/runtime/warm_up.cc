#include "runtime/warm_up.h"

#include <new>
#include <string>
#include <vector>

#include "common/element_count.h"

namespace maas::runtime {

Result<std::optional<ExecuteRequest>> warm_up_request(const ModelSignature& signature, uint64_t max_tensor_elements) {
  ExecuteRequest request;
  for (const auto& spec : signature.inputs) {
    // No meaningful zero value for BYTES, and no shape to fill when the format does not record one.
    if (spec.datatype == DataType::kBytes || !spec.shape_known) return std::optional<ExecuteRequest>();
    std::vector<int64_t> shape = spec.shape;
    for (size_t i = 0; i < shape.size(); ++i) {
      if (shape[i] >= 0) continue;
      if (i != 0 || !signature.batchable) return std::optional<ExecuteRequest>();  // a size we cannot guess
      shape[i] = 1;
    }
    MAAS_RETURN_IF_ERROR(check_declared_input(spec.name, spec.shape, max_tensor_elements));
    // Within the limit (at most 2^40 elements), so the byte count cannot overflow.
    const size_t bytes = static_cast<size_t>(*element_count(shape)) * datatype_size(spec.datatype);
    Tensor t;
    t.name = spec.name;
    t.datatype = spec.datatype;
    t.shape = std::move(shape);
    try {
      t.data = Buffer::adopt(std::vector<std::byte>(bytes));
    } catch (const std::bad_alloc&) {
      return resource_exhausted("warm-up: cannot allocate " + std::to_string(bytes) + " bytes of zeros for input '" +
                                spec.name + "' " + shape_string(t.shape) +
                                " within the worker's memory limit (config.memory_limit_bytes, "
                                "runtime.worker_memory_limit)");
    }
    request.inputs.push_back(std::move(t));
  }
  if (request.inputs.empty()) return std::optional<ExecuteRequest>();
  return std::optional<ExecuteRequest>(std::move(request));
}

}  // namespace maas::runtime
