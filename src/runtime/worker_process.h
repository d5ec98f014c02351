// One worker process as seen from maasd: a supervisor::SupervisedProcess (spawned with the channel on fd 3, in the
// supervisor's table and under its limits), asked to execute one batch at a time (or, for a generative backend,
// sent and read messages at any time), killed when it fails or hangs. The process runs the backend; maasd never
// does.
//
// Threading: all calls for one WorkerProcess happen on one strand (the owning model's); execute() must not be
// called again before the previous call completed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <nlohmann/json.hpp>

#include "common/element_count.h"
#include "common/status.h"
#include "runtime/backend.h"
#include "runtime/wire.h"
#include "supervisor/channel.h"
#include "supervisor/proc_stats.h"
#include "supervisor/process.h"

namespace maas::runtime {

struct WorkerOptions {
  std::filesystem::path worker_binary;
  std::filesystem::path backend_library;  // the plugin the worker loads (BackendInfo::library)
  std::string framework;
  std::filesystem::path artifact;
  std::string digest;  // re-verified by the worker before it loads
  int threads = 1;
  uint64_t memory_limit_bytes = 0;  // RLIMIT_DATA of the worker; 0: none
  // limits.max_tensor_elements: maasd reads no answer holding more than this many 8-byte elements (it would have
  // to hold it, then encode it). maas-worker also takes it as --max-tensor-elements (ModelManager passes it).
  uint64_t max_tensor_elements = kDefaultMaxTensorElements;
  std::vector<std::string> extra_args;  // appended to the worker's command line
  std::string role = "model";           // the supervisor's role: "model" (tensor) or "llm" (generative)
  std::string name;                     // for the supervisor's logs and metrics: "iris:3#0"
};

// Resident memory and CPU time (user + system) of a running process, read from /proc; 0 when it is gone.
using supervisor::process_cpu_seconds;
using supervisor::process_rss_bytes;

class WorkerProcess {
 public:
  static Result<std::unique_ptr<WorkerProcess>> spawn(boost::asio::any_io_executor executor,
                                                      supervisor::Supervisor& supervisor, const WorkerOptions& options);
  ~WorkerProcess();  // kills the process if still running (the supervised process reaps it)

  // Waits for READY and returns the signature the backend reported; the load's error otherwise.
  // `ready_header`, when given, receives READY's whole header (engines send more than the signature).
  boost::asio::awaitable<Result<ModelSignature>> wait_ready(std::chrono::milliseconds timeout,
                                                            nlohmann::json* ready_header = nullptr);
  // Sends one batch and awaits its outputs. Past `timeout` the worker is considered hung and killed. `deadline`
  // travels in the header: a worker that reads the batch after it answers DEADLINE_EXCEEDED without running it.
  boost::asio::awaitable<Result<std::vector<Tensor>>> execute(
      const ExecuteRequest& request, std::chrono::milliseconds timeout,
      std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());

  // Asks the worker to run its warm-up (wire::Kind::kWarmUp); its error otherwise. Past `timeout` the worker is
  // considered hung and killed.
  boost::asio::awaitable<Status> warm_up(std::chrono::milliseconds timeout);

  // A multiplexed channel (engines): messages in either direction at any time. At most one send and one receive
  // may be in flight at once; the caller queues.
  boost::asio::awaitable<Status> send(const wire::Message& message);
  boost::asio::awaitable<Result<wire::Message>> receive();

  void kill();
  // After a failure: waits until the process has ended and says how ("exited with code 3", "killed by signal 9
  // (SIGKILL)"); it is killed first if it still runs (a protocol error, not a death).
  boost::asio::awaitable<std::string> reap();
  // False once maasd knows it gone: killed, or reaped after its channel failed.
  bool alive() const { return alive_; }
  pid_t pid() const { return process_->pid(); }
  uint64_t rss_bytes() const { return process_->rss_bytes(); }

 private:
  WorkerProcess(boost::asio::any_io_executor executor, std::unique_ptr<supervisor::SupervisedProcess> process,
                uint64_t max_reply_bytes);
  boost::asio::awaitable<Result<std::pair<uint32_t, std::vector<Tensor>>>> read_reply(nlohmann::json* header);
  // Sends one message and awaits its answer (kResult's tensors, or kError's status) within `timeout`.
  boost::asio::awaitable<Result<std::vector<Tensor>>> round_trip(wire::Message message, std::chrono::milliseconds timeout);

  std::shared_ptr<bool> arm_watchdog(std::chrono::milliseconds timeout);

  std::unique_ptr<supervisor::SupervisedProcess> process_;
  supervisor::Channel& channel_;        // the process's
  boost::asio::steady_timer watchdog_;  // kills the process when a load or a batch overruns
  bool alive_ = true;
  uint64_t next_request_id_ = 1;
  uint64_t max_reply_bytes_;
};

}  // namespace maas::runtime
