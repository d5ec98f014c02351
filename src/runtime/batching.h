// Pure helpers of dynamic batching: which requests may share a batch, and how tensors are joined along
// dimension 0 and split back exactly.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "runtime/backend.h"

namespace maas::runtime {

// Requests with equal keys can be concatenated: same inputs (names, datatypes, non-batch dims), same requested
// outputs, same parameters.
std::string batch_key(const ExecuteRequest& request);
// Rows (dimension 0) of a request; INVALID_ARGUMENT when inputs disagree or are scalars.
Result<int64_t> batch_rows(const ExecuteRequest& request);
// Joins requests (equal keys) into one; each input's bytes are copied once into the batch buffer.
ExecuteRequest concat_requests(const std::vector<const ExecuteRequest*>& requests, int64_t total_rows);
// Splits batch outputs into per-request outputs of `rows[i]` rows each (slices, no copies).
Result<std::vector<std::vector<Tensor>>> split_outputs(const std::vector<Tensor>& outputs, const std::vector<int64_t>& rows);

}  // namespace maas::runtime
