// Matching a request's tensors to a model's declared inputs, shared by the backends so that every backend
// rejects a missing, unknown or malformed input with the same kind of message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/element_count.h"  // shape_string
#include "common/status.h"
#include "runtime/backend.h"

namespace maas::backends {

// The request's tensors in the order of `specs`. Inputs are matched by name; when none of the request's names
// is a declared input and the counts agree, they are taken in declared order (clients that name inputs
// "input-0", "input-1"). INVALID_ARGUMENT, naming the input, for a missing, unknown or duplicate input or one
// whose bytes do not fit its shape and datatype. The pointers borrow from `request`.
Result<std::vector<const runtime::Tensor*>> bind_inputs(std::string_view backend,
                                                        const runtime::ExecuteRequest& request,
                                                        const std::vector<runtime::TensorSpec>& specs);

// INVALID_ARGUMENT unless `tensor` has the spec's rank and every fixed dimension of it.
Status check_shape(std::string_view backend, const runtime::Tensor& tensor, const runtime::TensorSpec& spec);

// The indices into `specs` of the outputs a request asks for (all when `wanted` is empty); INVALID_ARGUMENT
// naming an output the model does not have.
Result<std::vector<size_t>> select_outputs(std::string_view backend, const std::vector<std::string>& wanted,
                                           const std::vector<runtime::TensorSpec>& specs);

// The tensor's bytes, or an aligned copy of them in `scratch` when they are not aligned to the element size:
// a buffer sliced out of a request body may start anywhere, and the frameworks read it through typed pointers.
const std::byte* aligned_data(const runtime::Tensor& tensor, std::vector<std::byte>& scratch);

}  // namespace maas::backends
