#include "supervisor/process_table.h"

#include <signal.h>

#include "common/clock.h"
#include "supervisor/proc_stats.h"

namespace maas::supervisor {

std::shared_ptr<ProcessTable> ProcessTable::create(metrics::Registry* registry) {
  std::shared_ptr<ProcessTable> table(new ProcessTable());
  if (registry == nullptr) return table;
  auto& f = table->families_;
  f.resident = &registry->gauge("maas_process_resident_bytes", "Resident memory of a supervised process",
                                {"role", "name"});
  f.cpu = &registry->counter("maas_process_cpu_seconds_total", "CPU time (user + system) of a supervised process",
                             {"role", "name"});
  f.starts = &registry->counter("maas_process_starts_total", "Supervised processes started, by role", {"role"});
  f.exits = &registry->counter("maas_process_exits_total",
                               "Supervised processes that ended, by role and reason: clean, error (a non-zero exit), "
                               "killed (by maas), oom (over its cgroup memory limit), signal (a crash or an outside "
                               "kill)",
                               {"role", "reason"});
  f.running = &registry->gauge("maas_processes", "Supervised processes running now, by role", {"role"});
  registry->add_collector([weak = std::weak_ptr<ProcessTable>(table)] {
    if (auto t = weak.lock()) t->collect();
  });
  return table;
}

uint64_t ProcessTable::add(pid_t pid, std::string role, std::string name) {
  std::lock_guard lock(mu_);
  uint64_t id = next_id_++;
  if (families_.starts) families_.starts->with({role}).inc();
  ++running_by_role_[role];
  processes_[id] = ProcessInfo{id, pid, std::move(role), std::move(name), now_unix_ms()};
  return id;
}

void ProcessTable::remove(uint64_t id, const ExitInfo& exit) {
  std::lock_guard lock(mu_);
  auto it = processes_.find(id);
  if (it == processes_.end()) return;
  const ProcessInfo& p = it->second;
  --running_by_role_[p.role];
  if (families_.exits) {
    families_.exits->with({p.role, std::string(exit.category())}).inc();
    // A process's own series go with it: names of ended jobs must not pile up in /metrics.
    families_.resident->remove({p.role, p.name});
    families_.cpu->remove({p.role, p.name});
  }
  processes_.erase(it);
}

std::vector<ProcessInfo> ProcessTable::list() const {
  std::lock_guard lock(mu_);
  std::vector<ProcessInfo> out;
  for (const auto& [id, p] : processes_) out.push_back(p);
  return out;
}

size_t ProcessTable::size() const {
  std::lock_guard lock(mu_);
  return processes_.size();
}

void ProcessTable::kill_all() {
  for (const auto& p : list()) {
    ::kill(-p.pid, SIGKILL);
    ::kill(p.pid, SIGKILL);
  }
}

void ProcessTable::collect() {
  // /proc is read outside the lock (a scrape must not hold up a spawn or a reap); the values are applied under it,
  // only for processes still in the table, so that an ended process's series are not made again.
  struct Sample {
    uint64_t id;
    double rss;
    double cpu;
  };
  std::vector<Sample> samples;
  for (const auto& p : list()) {
    samples.push_back({p.id, static_cast<double>(process_rss_bytes(p.pid)), process_cpu_seconds(p.pid)});
  }
  std::lock_guard lock(mu_);
  for (const auto& s : samples) {
    auto it = processes_.find(s.id);
    if (it == processes_.end()) continue;
    families_.resident->with({it->second.role, it->second.name}).set(s.rss);
    families_.cpu->with({it->second.role, it->second.name}).set_sampled(s.cpu);
  }
  for (const auto& [role, n] : running_by_role_) families_.running->with({role}).set(n);
}

}  // namespace maas::supervisor
