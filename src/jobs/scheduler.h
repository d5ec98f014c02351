// Which queued jobs may start now: by priority, then age, while CPU slots and per-key quotas allow. The slots are
// one pool shared with serving: serving always keeps its reserved share, and more while its workers use more, down
// to the slots jobs are guaranteed.
// Pure and clock-free (the caller passes the time), so it is tested on a fake clock.
//
// Thread-safety: immutable after construction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace maas::jobs {

struct SchedulerLimits {
  int total_slots = 1;             // jobs.slots: the machine's CPU slots, serving's and jobs' together
  int serving_reserved_slots = 1;  // jobs.serving_reserved_slots: never given to jobs
  // jobs.guaranteed_slots: jobs keep this many however many threads the loaded workers use beyond serving's
  // reserve (the two then share those cores), so that a queued job never waits for ever behind loaded models.
  int guaranteed_slots = 0;
  int max_running_per_key = 0;     // jobs.max_running_per_key (0: no limit)
};

struct QueuedJob {
  std::string id;
  std::string owner;
  int priority = 0;
  uint64_t order = 0;  // submission order: older first among equal priorities
  int cpu_slots = 1;
  int64_t not_before_ms = 0;  // waiting out a retry's backoff until then
};

struct RunningJob {
  std::string owner;
  int cpu_slots = 1;
};

class Scheduler {
 public:
  explicit Scheduler(SchedulerLimits limits) : limits_(limits) {}

  // Slots jobs may hold in all while serving uses `serving_slots_in_use`.
  int job_slots(int serving_slots_in_use) const;
  // The most a single job may ask for (serving using no more than its reserve).
  int max_job_slots() const { return job_slots(0); }

  // The ids of the queued jobs to start now, in order. A job waiting out its backoff, or whose owner is at the
  // running quota, is passed over; the first job that does not fit the free slots stops admission, so a big job
  // at the head is never overtaken by smaller ones behind it.
  std::vector<std::string> admit(std::vector<QueuedJob> queued, const std::vector<RunningJob>& running,
                                 int serving_slots_in_use, int64_t now_ms) const;

  // When admit() may answer differently without anything else changing: the earliest backoff still running
  // (0: none).
  static int64_t next_wakeup_ms(const std::vector<QueuedJob>& queued, int64_t now_ms);

  const SchedulerLimits& limits() const { return limits_; }

 private:
  SchedulerLimits limits_;
};

}  // namespace maas::jobs
