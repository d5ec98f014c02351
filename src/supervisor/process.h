// One supervised process: spawned with a connected Unix socket on fd 3 (its end of the Channel), in a process
// group of its own (Ctrl-C at maasd's terminal reaches maasd, which drains, not its children), with
// PR_SET_PDEATHSIG so that it dies with maasd, under its resource limits; killed, reaped, and its end told in
// words. Model workers, LLM workers and job processes are all one of these.
//
// Threading: use a SupervisedProcess from the executor (a strand) it was spawned on; the stderr callback runs
// there too. Its owner must keep it alive while awaiting wait(). PR_SET_PDEATHSIG fires when the *thread* that
// spawned the process ends, so spawn from a thread that lives as long as maasd (the event loops do).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "supervisor/channel.h"
#include "supervisor/exit_info.h"
#include "supervisor/limits.h"
#include "supervisor/process_table.h"

namespace maas::supervisor {

struct ProcessSpec {
  std::filesystem::path binary;
  std::vector<std::string> args;                         // after argv[0], which is the binary
  std::vector<std::pair<std::string, std::string>> env;  // set on top of maasd's environment
  std::string role;                                      // "model", "llm" or "job"
  std::string name;                                      // for logs and metrics: "iris:3#0", "artifacts.verify/j1"
  Limits limits;
  // The process's nice value (0: maasd's own; higher yields the CPU to what runs at 0, the model workers): set
  // between fork and exec, so it holds for every thread the process starts.
  int nice = 0;
  // When set, the process's stderr is read line by line into this (on the spawn executor) instead of going to
  // maasd's stderr. Longer lines than 16 KiB arrive in pieces.
  std::function<void(std::string_view line)> on_stderr_line;
};

class SupervisedProcess {
 public:
  ~SupervisedProcess();  // kills the process group and reaps (brief: SIGKILL cannot be caught)
  SupervisedProcess(const SupervisedProcess&) = delete;
  SupervisedProcess& operator=(const SupervisedProcess&) = delete;

  Channel& channel() { return channel_; }
  pid_t pid() const { return pid_; }
  const ProcessSpec& spec() const { return spec_; }
  bool running() const { return !reaped_; }
  // True once the process has exited, reaped or not: it needs no signal to end.
  bool exited() const;

  // SIGTERM to the process group: the process may finish what it is doing (a job saves and stops).
  void terminate();
  // SIGKILL to the process group.
  void kill();
  // Resolves once the process has exited (after its whole group is ended and what it wrote to stderr is read)
  // and been reaped; at once afterwards.
  boost::asio::awaitable<ExitInfo> wait();

  uint64_t rss_bytes() const;
  double cpu_seconds() const;

 private:
  friend class Supervisor;
  struct StderrReader;
  SupervisedProcess(boost::asio::any_io_executor executor, ProcessSpec spec, pid_t pid, int channel_fd,
                    std::shared_ptr<const ResourceLimiter> limiter, PreparedLimits prepared,
                    std::shared_ptr<ProcessTable> table);
  void start_stderr_reader(int fd);
  static boost::asio::awaitable<void> read_stderr(std::shared_ptr<StderrReader> reader);
  void finish(int wait_status);
  void signal_group(int signal);

  boost::asio::any_io_executor executor_;
  ProcessSpec spec_;
  pid_t pid_;
  Channel channel_;
  std::shared_ptr<const ResourceLimiter> limiter_;
  PreparedLimits prepared_;
  std::shared_ptr<ProcessTable> table_;
  uint64_t table_id_ = 0;
  std::optional<boost::asio::posix::stream_descriptor> pidfd_;  // readable once the process has exited
  std::shared_ptr<StderrReader> stderr_;
  bool signalled_ = false;  // maas sent it a terminating signal
  bool reaped_ = false;
  ExitInfo exit_;
};

// Spawns supervised processes under one resource limiter and keeps them in one table.
// Thread-safety: spawn() may be called from any thread (each process then belongs to its executor).
class Supervisor {
 public:
  Supervisor(std::shared_ptr<const ResourceLimiter> limiter, metrics::Registry* registry);

  Result<std::unique_ptr<SupervisedProcess>> spawn(boost::asio::any_io_executor executor, ProcessSpec spec);

  const ResourceLimiter& limiter() const { return *limiter_; }
  ProcessTable& table() { return *table_; }
  // SIGKILL to every supervised process (maasd's shutdown).
  void kill_all() { table_->kill_all(); }

 private:
  std::shared_ptr<const ResourceLimiter> limiter_;
  std::shared_ptr<ProcessTable> table_;
  std::atomic<uint64_t> next_limit_id_{1};
};

}  // namespace maas::supervisor
