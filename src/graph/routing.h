// Which step a switch or a splitter node runs: a switch step's condition evaluated on a tensor (a small, bounded
// set of comparisons and RE2 matches — no user code), and a splitter's weighted pick, reproducible per request id.
// Thread-safety: no shared state (pick_weighted without a key draws from a thread-local generator).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "graph/graph_spec.h"
#include "runtime/tensor.h"

namespace maas::graph {

// Whether `condition` holds on `tensor`: every element (or, with `any`, at least one) compares true; an empty
// tensor never holds. Numeric ops need a numeric tensor, `matches` a BYTES one (whole-element RE2 match).
Result<bool> holds(const Condition& condition, const runtime::Tensor& tensor);

// FNV-1a, 64 bits: the splitter's seed.
uint64_t fnv1a64(std::string_view text);

// The index picked among `weights` (positive): with a non-empty `key` (the request id and the node,
// "<id>/<node>"), r = fnv1a64(key) mod Σweights and the first step whose cumulative weight exceeds r; without a
// key, r is drawn at random.
size_t pick_weighted(std::string_view key, const std::vector<int64_t>& weights);

}  // namespace maas::graph
