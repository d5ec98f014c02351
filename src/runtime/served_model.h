// One loaded model version as maasd serves it, whatever its kind: what ModelManager keeps, finds, lists, evicts
// and unloads, and what the health, metadata, statistics and repository routes read. A tensor model (a batched
// execute: runtime::ModelRunner) and a generative one (streamed text: llm::LlmRunner) both implement it, as
// Triton's ordinary and decoupled models share one backend API; a caller that needs the kind's own call asks for
// that capability (as_tensor, as_generative), which is null when the version does not have it.
//
// Thread-safety: every method may be called from any thread. Lifetime: owned by shared_ptr (ModelManager and the
// requests in flight); stop() before the last reference goes.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/backend_registry.h"
#include "runtime/circuit_breaker.h"
#include "runtime/tensor.h"

namespace maas::llm {
class LlmRunner;
}
namespace maas::graph {
class GraphModel;
}

namespace maas::runtime {

class ModelRunner;

enum class ModelState { kLoading, kReady, kUnavailable, kUnloading, kFailed };
std::string_view model_state_name(ModelState state);  // "LOADING", "READY", "UNAVAILABLE", "UNLOADING", "FAILED"

struct DurationStat {
  uint64_t count = 0;
  uint64_t ns = 0;
  void add(std::chrono::nanoseconds d) {
    ++count;
    ns += static_cast<uint64_t>(d.count());
  }
};

// Triton's statistics extension, per version. A generative version counts its requests (streams) the same way;
// it has no batches.
struct ModelStats {
  uint64_t inference_count = 0;  // requests answered
  uint64_t execution_count = 0;  // batches run
  int64_t last_inference_ms = 0;
  DurationStat success, fail, queue, compute_input, compute_infer, compute_output;
  std::map<int64_t, DurationStat> batch_stats;  // batch size (rows) -> compute
  uint64_t worker_restarts = 0;
};

// One worker process of a version.
struct InstanceInfo {
  int index = 0;  // stable while the replica lives (metric label); indexes of retired replicas are reused
  int pid = 0;
  bool ready = false;     // warmed up and taking work
  bool retiring = false;  // scaled down: finishing its batch, then stopped
  bool alive = false;
  bool busy = false;
  uint64_t rss_bytes = 0;
  double cpu_seconds = 0;
  uint64_t restarts = 0;
  CircuitState circuit = CircuitState::kClosed;
  int ejections = 0;
  int consecutive_failures = 0;
};

class ServedModel {
 public:
  virtual ~ServedModel() = default;

  virtual const std::string& model() const = 0;
  virtual int64_t version() const = 0;
  // The backend serving it (framework, platform, kind), from the backend registry.
  virtual const BackendInfo& backend() const = 0;
  const std::string& framework() const { return backend().framework; }
  virtual ModelState state() const = 0;
  virtual std::string reason() const = 0;  // why it is not READY, in words; empty when it is
  // Its inputs and outputs (empty for a generative version, whose requests are text).
  virtual ModelSignature signature() const = 0;
  // The load config it runs with, as the load endpoint answers it.
  virtual nlohmann::json config_json() const = 0;
  virtual ModelStats stats() const = 0;
  // Its workers, with their memory and CPU read now.
  virtual std::vector<InstanceInfo> instances() const = 0;
  // Resident memory of its live workers now (read from /proc): the memory budget's measure.
  virtual uint64_t resident_bytes() const = 0;
  // When a request last came in (the load time until then): the memory budget evicts the least recently used.
  virtual std::chrono::steady_clock::time_point last_used() const = 0;
  // CPU slots its live workers use (jobs.slots shares them with serving).
  virtual int cpu_slots_in_use() const = 0;

  // Stops its workers. Requests in flight fail at once, or with `drain` are answered first while new ones are
  // refused (each within its deadline).
  virtual void stop(bool drain = false) = 0;
  // Kills its workers at once; only for shutdown, once no thread runs the io_context any more.
  virtual void kill_now() = 0;

  // The version's own call: a batched execute (the Open Inference Protocol's infer) or streamed generation (the
  // OpenAI-compatible API). Null when this version has no such call.
  virtual std::shared_ptr<ModelRunner> as_tensor() { return nullptr; }
  virtual std::shared_ptr<llm::LlmRunner> as_generative() { return nullptr; }
  // An inference graph (graph/graph_model.h): served in maasd, its steps by their own versions' workers.
  virtual std::shared_ptr<graph::GraphModel> as_graph() { return nullptr; }
};

}  // namespace maas::runtime
