#include "jobs/host/job_host.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <exception>
#include <iostream>

#include "jobs/host/channel_context.h"
#include "jobs/plugin_loader.h"
#include "supervisor/channel.h"

namespace maas::jobs {
namespace {

std::atomic<bool> g_terminate_requested{false};

void on_sigterm(int) { g_terminate_requested.store(true, std::memory_order_relaxed); }

// What maas-job keeps of a plugin: its executors (kinds are maasd's).
class ExecutorCollector final : public PluginRegistrar {
 public:
  explicit ExecutorCollector(ExecutorTable& table) : table_(table) {}
  void add_kind(JobKind) override {}
  void add_executor(std::string name, Executor executor) override { table_[std::move(name)] = std::move(executor); }

 private:
  ExecutorTable& table_;
};

Status run_executor(const Executor& executor, JobContext& context) {
  try {
    return executor(context);
  } catch (const std::exception& e) {
    return internal_error(std::string("the executor threw: ") + e.what());
  } catch (...) {
    return internal_error("the executor threw an exception that is not a std::exception");
  }
}

}  // namespace

int run_job_host(ExecutorTable executors) {
  struct sigaction action {};
  action.sa_handler = on_sigterm;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGTERM, &action, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  // Whatever an executor or its libraries print goes to stderr, which maasd turns into the job's log.
  ::dup2(STDERR_FILENO, STDOUT_FILENO);

  auto envelope = supervisor::read_frame(supervisor::kChannelFd);
  if (!envelope.ok() || envelope->kind() != static_cast<uint32_t>(protocol::Kind::kStart)) {
    std::cerr << "maas-job: no start message from maasd (this program is started by maasd, not by hand)\n";
    return 2;
  }
  auto start = protocol::decode_start(envelope->header);
  if (!start.ok()) {
    std::cerr << "maas-job: " << start.status().message() << "\n";
    return 2;
  }
  std::optional<std::string> checkpoint;
  if (start->has_checkpoint) {
    checkpoint.emplace(reinterpret_cast<const char*>(envelope->payload.data()), envelope->payload.size());
  }
  envelope->payload = {};
  std::string executor_name = start->executor;
  std::string plugin = start->executor_plugin;
  ChannelContext context(supervisor::kChannelFd, std::move(*start), std::move(checkpoint), &g_terminate_requested);

  Status status;
  if (!plugin.empty()) {
    ExecutorCollector collector(executors);
    status = load_plugin(plugin, collector);
  }
  if (status.ok()) {
    auto it = executors.find(executor_name);
    if (it == executors.end()) {
      status = failed_precondition("maas-job has no executor '" + executor_name + "'" +
                                   (plugin.empty() ? std::string(" built in") : " in the plugin " + plugin));
    } else {
      status = run_executor(it->second, context);
    }
  }
  if (!context.finish(status).ok()) return 2;
  return status.ok() ? 0 : 1;
}

}  // namespace maas::jobs
