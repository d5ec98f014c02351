#include "jobs/scheduler.h"

#include <algorithm>
#include <map>

namespace maas::jobs {

int Scheduler::job_slots(int serving_slots_in_use) const {
  const int most = std::max(0, limits_.total_slots - limits_.serving_reserved_slots);
  const int left = limits_.total_slots - std::max(limits_.serving_reserved_slots, serving_slots_in_use);
  return std::min(most, std::max(left, limits_.guaranteed_slots));
}

std::vector<std::string> Scheduler::admit(std::vector<QueuedJob> queued, const std::vector<RunningJob>& running,
                                          int serving_slots_in_use, int64_t now_ms) const {
  std::sort(queued.begin(), queued.end(), [](const QueuedJob& a, const QueuedJob& b) {
    return a.priority != b.priority ? a.priority > b.priority : a.order < b.order;
  });
  int free = job_slots(serving_slots_in_use);
  std::map<std::string, int> running_by_owner;
  for (const auto& r : running) {
    free -= r.cpu_slots;
    ++running_by_owner[r.owner];
  }
  std::vector<std::string> admitted;
  for (const auto& job : queued) {
    if (job.not_before_ms > now_ms) continue;
    int& owner_running = running_by_owner[job.owner];
    if (limits_.max_running_per_key > 0 && owner_running >= limits_.max_running_per_key) continue;
    if (job.cpu_slots > free) break;
    admitted.push_back(job.id);
    free -= job.cpu_slots;
    ++owner_running;
  }
  return admitted;
}

int64_t Scheduler::next_wakeup_ms(const std::vector<QueuedJob>& queued, int64_t now_ms) {
  int64_t next = 0;
  for (const auto& job : queued) {
    if (job.not_before_ms > now_ms && (next == 0 || job.not_before_ms < next)) next = job.not_before_ms;
  }
  return next;
}

}  // namespace maas::jobs
