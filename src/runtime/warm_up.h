// The zero-filled request a worker runs once after it loads (Triton's model warm-up). The worker builds it from
// its own signature, under its own memory limit, so that maasd allocates nothing for it: one row (a batch
// dimension of 1) of every input.
// Thread-safety: a pure function; the request owns its buffers.
#pragma once

#include <cstdint>
#include <optional>

#include "common/status.h"
#include "runtime/backend.h"

namespace maas::runtime {

// The warm-up request, or nullopt when there is nothing meaningful to fill — a BYTES input, an input whose shape
// the format does not record, a variable dimension other than the batch dimension — and the warm-up is skipped.
// INVALID_ARGUMENT naming the input when one row of it claims more than `max_tensor_elements`;
// RESOURCE_EXHAUSTED when its zeros cannot be allocated (the worker's memory limit).
Result<std::optional<ExecuteRequest>> warm_up_request(const ModelSignature& signature, uint64_t max_tensor_elements);

}  // namespace maas::runtime
