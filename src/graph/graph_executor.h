// Runs one request through a graph: nodes in the document's order of data flow, model steps through a
// StepInvoker, independent steps (an ensemble's) concurrently, switch and splitter picks, the combination of an
// ensemble's outputs, and a trace of what ran. One request in, one answer out; an error names the step.
// Threading: run() is a coroutine on the caller's executor, which must be a strand or a single-threaded
// io_context (concurrent steps are spawned onto it). Lifetime: the executor keeps its spec and invoker alive.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "graph/graph_spec.h"
#include "graph/step_invoker.h"
#include "runtime/tensor.h"

namespace maas::graph {

// What one request ran: each model step (with its version and time) and each switch or splitter's pick.
class Trace {
 public:
  struct StepRun {
    std::string node, step, model;
    int64_t version = 0;
    double ms = 0;
    std::string error;  // empty when it succeeded
  };
  void add_step(StepRun run);
  void add_branch(const std::string& node, const std::string& step);
  // {"steps": [{"node","step","model","version","ms"[,"error"]}], "branches": {"<node>": "<step>"}}
  nlohmann::json json() const;
  // "model:version" of every step that ran, comma-separated, for the request log.
  std::string versions() const;

 private:
  mutable std::mutex mu_;
  std::vector<StepRun> steps_;
  std::vector<std::pair<std::string, std::string>> branches_;
};

class GraphExecutor {
 public:
  GraphExecutor(std::shared_ptr<const GraphSpec> spec, std::shared_ptr<StepInvoker> invoker)
      : spec_(std::move(spec)), invoker_(std::move(invoker)) {}

  // The root node's outputs for `inputs` (the request's tensors by name). `trace` (may be null) receives what ran.
  boost::asio::awaitable<Result<std::vector<runtime::Tensor>>> run(std::vector<runtime::Tensor> inputs,
                                                                   RunOptions options,
                                                                   std::shared_ptr<Trace> trace) const;

 private:
  std::shared_ptr<const GraphSpec> spec_;
  std::shared_ptr<StepInvoker> invoker_;
};

}  // namespace maas::graph
