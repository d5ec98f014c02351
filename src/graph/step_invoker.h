// The boundary between a graph's executor and what serves its model steps: the loaded signature of a step's model
// and one call to it. GraphModel implements it over ModelManager (each step in its own workers); tests implement
// it with functions.
// Thread-safety: called from the request's coroutine; implementations synchronize what they share.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "graph/graph_spec.h"
#include "runtime/tensor.h"

namespace maas::graph {

// What every step of one graph request runs with.
struct RunOptions {
  int priority = 5;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::string request_id;  // seeds splitters; empty: a random draw
};

class StepInvoker {
 public:
  virtual ~StepInvoker() = default;
  // The step's model version as the graph resolved it when it loaded, and that version's loaded signature (owned by
  // the invoker, valid as long as it is).
  virtual Result<int64_t> version_of(const Step& step) const = 0;
  virtual Result<const runtime::ModelSignature*> signature_of(const Step& step) const = 0;
  // Runs the step's model on `inputs` (named as its signature names them); its outputs, or an error.
  virtual boost::asio::awaitable<Result<std::vector<runtime::Tensor>>> run(const Step& step,
                                                                           std::vector<runtime::Tensor> inputs,
                                                                           const RunOptions& options) = 0;
  // One step ran for `seconds` (`label`: "<node>.<step>"): its metric.
  virtual void observe(const std::string& label, double seconds) = 0;
};

}  // namespace maas::graph
