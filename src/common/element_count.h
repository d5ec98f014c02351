// Overflow-safe element counts of tensor shapes, and the one bound on them (limits.max_tensor_elements) that the
// registry, the inference parser, maasd's side of the worker channel and the workers all apply.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas {

// limits.max_tensor_elements by default: 2^28 elements (1 GiB of FP32 in one row of a model's input). The default
// request body limit (64 MiB) carries at most 2^26 one-byte elements, so this leaves room for raised body limits
// while keeping what a worker allocates for one warm-up row within reach of its memory limit.
inline constexpr uint64_t kDefaultMaxTensorElements = uint64_t{1} << 28;
// The largest value the setting accepts: times the largest element (8 bytes) it still fits in an int64_t.
inline constexpr uint64_t kMaxTensorElementsCeiling = uint64_t{1} << 40;

// The number of elements of a tensor of `shape` (1 for a scalar, 0 when any dimension is 0); nullopt when a
// dimension is negative or the product does not fit in an int64_t.
std::optional<uint64_t> element_count(std::span<const int64_t> shape);

// What `shape` claims however it is filled: the product of its dimensions with every 0 and every negative
// (variable, -1) dimension counted as 1; nullopt when that does not fit in an int64_t. A request shape [0, 2^40]
// holds no element but claims 2^40, and a model input [-1, 2^31, 16] claims 2^35 per row: both are what
// limits.max_tensor_elements refuses.
std::optional<uint64_t> claimed_elements(std::span<const int64_t> shape);

// "[-1,2147483647,16]"
std::string shape_string(std::span<const int64_t> shape);

// INVALID_ARGUMENT naming the input, its shape and the limit when one row of a model's declared input (its fixed
// dimensions) claims more than `max_elements`: a model the server could not serve (nor warm up).
Status check_declared_input(std::string_view input_name, std::span<const int64_t> shape, uint64_t max_elements);

}  // namespace maas
