// JobService's private state, shared by its two implementation files (job_service.cc: submissions, views and
// scheduling; job_attempt.cc: one attempt's process). Not part of the interface.
#pragma once

#include <optional>

#include <boost/asio/steady_timer.hpp>

#include "jobs/job_protocol.h"
#include "jobs/job_service.h"

namespace maas::jobs {

// A job that is not finished. Guarded by JobService::mu_ (read from any thread, written on the strand).
struct JobService::Active {
  store::JobRecord record;  // as stored, with the live progress
  const JobKind* kind = nullptr;
  uint64_t order = 0;             // submission order (the scheduler's tie-break)
  bool stored = false;            // in the store: not admitted before its submission is durable
  bool starting = false;          // admitted; its attempt is being set up
  bool cancel_requested = false;  // cancel() was called while it was starting or running
  std::weak_ptr<Attempt> attempt;  // owned by the coroutine that runs it (no cycle with Attempt::job)
  int64_t queued_since_ms = 0;     // for the queue-wait metric
  std::optional<double> first_fraction;  // the attempt's first progress (a resumed job starts midway) ...
  int64_t first_progress_ms = 0;         // ... and when it came: the ETA extrapolates from there
  int64_t progress_written_ms = 0;
  pid_t pid = 0;
};

// One attempt: its process and what it reported. Used on the strand only.
struct JobService::Attempt {
  explicit Attempt(boost::asio::any_io_executor executor) : grace(std::move(executor)) {}
  std::string id;
  std::shared_ptr<Active> job;
  std::unique_ptr<supervisor::SupervisedProcess> process;
  std::optional<protocol::DoneMessage> done;
  Status failure;  // why the attempt failed before or beside the executor (spawn, protocol, files)
  supervisor::ExitInfo exit;
  boost::asio::steady_timer grace;  // SIGKILL when a cancelled process outstays the grace period
};

}  // namespace maas::jobs
