// A graph's signature, derived from its steps' loaded signatures: its inputs are the tensors its steps (and its
// switches' conditions) read that no earlier step produces, its outputs what the root node answers. What the /v2
// metadata route shows and what a request's input names are checked against.
// Thread-safety: no shared state.
#pragma once

#include "common/status.h"
#include "graph/graph_spec.h"
#include "graph/step_invoker.h"
#include "runtime/tensor.h"

namespace maas::graph {

// A switch or splitter answers what the step it picks answers: the signature shows its first step's outputs.
Result<runtime::ModelSignature> derive_signature(const GraphSpec& spec, const StepInvoker& steps);

}  // namespace maas::graph
