// Every process the supervisor runs, in one table: /metrics reads their memory and CPU from it, and shutdown
// kills them all. One family set for every role (docs/METRICS.md, "Supervised processes").
//
// Thread-safety: every method may be called from any thread. Held by shared_ptr: each process keeps the table
// alive until it has been reaped, whatever the order things are torn down in.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/metrics.h"
#include "supervisor/exit_info.h"

namespace maas::supervisor {

struct ProcessInfo {
  uint64_t id = 0;
  pid_t pid = 0;
  std::string role;  // "model", "llm" or "job"
  std::string name;  // for logs and metrics
  int64_t started_at_ms = 0;
};

class ProcessTable : public std::enable_shared_from_this<ProcessTable> {
 public:
  // `registry` (may be null) must outlive the table; the families are registered on it once.
  static std::shared_ptr<ProcessTable> create(metrics::Registry* registry);

  uint64_t add(pid_t pid, std::string role, std::string name);
  void remove(uint64_t id, const ExitInfo& exit);
  std::vector<ProcessInfo> list() const;
  size_t size() const;
  // SIGKILL to every process group in the table (maasd's shutdown; reaping is left to each process's owner).
  void kill_all();

 private:
  ProcessTable() = default;
  void collect();

  struct Families {
    metrics::Family<metrics::Gauge>* resident = nullptr;
    metrics::Family<metrics::Counter>* cpu = nullptr;
    metrics::Family<metrics::Counter>* starts = nullptr;
    metrics::Family<metrics::Counter>* exits = nullptr;
    metrics::Family<metrics::Gauge>* running = nullptr;
  };

  mutable std::mutex mu_;
  std::map<uint64_t, ProcessInfo> processes_;
  std::map<std::string, int> running_by_role_;
  uint64_t next_id_ = 1;
  Families families_;
};

}  // namespace maas::supervisor
