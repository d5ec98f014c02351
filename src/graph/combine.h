// How an ensemble node combines its steps' outputs: a (weighted) average, a (weighted) majority vote of class
// labels, or the outputs side by side for a final model (stacking). Pure functions over tensors; each error is
// INVALID_ARGUMENT naming the step whose output does not fit. docs/GRAPHS.md states the exact arithmetic.
// Thread-safety: no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "runtime/tensor.h"

namespace maas::graph {

// One step's contribution: its output and the weight it counts with.
struct Part {
  std::string step;
  runtime::Tensor tensor;
  int64_t weight = 1;
};

// The tensor's elements as doubles: any integer, FP32 or FP64 datatype (BOOL as 0/1); INVALID_ARGUMENT otherwise.
Result<std::vector<double>> numbers_of(const runtime::Tensor& tensor, const std::string& what);

// (Σ wᵢ·xᵢ) / Σ wᵢ element by element, summed in double in step order; FP32 when every part is FP32 (rounded
// once, at the end), FP64 otherwise. Every part must have the same shape.
Result<runtime::Tensor> average(const std::vector<Part>& parts, const std::string& name);

// Per row, the label with the largest total weight; a tie goes to the smallest label. A part of shape [N] or
// [N, 1] holds labels (integral values); [N, K] with K > 1 holds per-class scores, whose label is the argmax (the
// first maximum). The answer is INT64 [N].
Result<runtime::Tensor> vote(const std::vector<Part>& parts, const std::string& name);

// The parts side by side along the last axis: [N] counts as [N, 1]; every part must have the same N. FP32 [N, Σk].
Result<runtime::Tensor> stack(const std::vector<Part>& parts, const std::string& name);

}  // namespace maas::graph
