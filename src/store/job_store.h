// The job queue's durable state: every job with its kind, parameters, state, priority, owner, attempts,
// timestamps, progress, result, error and checkpoint. An interface, like MetadataStore, so another engine
// implements the same calls without touching the job system.
//
// Thread-safety: every method may be called from any thread; each applies whole or not at all.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::store {

// A job's states: queued -> running -> succeeded | failed | cancelled; running -> cancelling -> cancelled; a
// running job goes back to queued for a retry, or when maasd died under it (an interruption).
inline constexpr std::string_view kJobQueued = "queued";
inline constexpr std::string_view kJobRunning = "running";
inline constexpr std::string_view kJobCancelling = "cancelling";
inline constexpr std::string_view kJobSucceeded = "succeeded";
inline constexpr std::string_view kJobFailed = "failed";
inline constexpr std::string_view kJobCancelled = "cancelled";

// True for succeeded, failed and cancelled: nothing will happen to the job any more.
bool is_terminal_job_state(std::string_view state);

struct JobRecord {
  std::string id;
  std::string kind;
  nlohmann::json params = nlohmann::json::object();  // as the kind normalized them
  std::string state;
  int priority = 0;    // higher runs first
  std::string owner;   // the API key (principal) that submitted it
  int cpu_slots = 1;
  uint64_t memory_bytes = 0;  // 0: no limit
  int attempts = 0;           // attempts started, an interrupted one excepted
  int max_attempts = 1;
  int interruptions = 0;      // attempts cut short because maasd stopped, each followed by a requeue
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::optional<int64_t> started_at_ms;   // when the last attempt started
  std::optional<int64_t> finished_at_ms;  // when the job reached a final state
  int64_t not_before_ms = 0;              // a retry waits for its backoff until then
  double progress = 0;                    // 0..1
  std::string progress_message;
  nlohmann::json progress_metrics = nlohmann::json::object();  // {name: number}
  nlohmann::json result;                  // null until it succeeds
  std::string error;                      // the last failure, for a person
  std::string checkpoint;                 // the last checkpoint's file, relative to the jobs directory; empty: none
};

struct JobQuery {
  std::optional<std::string> state;
  std::optional<std::string> kind;
  std::optional<std::string> owner;
  std::string before_id;  // keyset pagination, newest first: jobs submitted before this one
  int limit = 100;
};

class JobStore {
 public:
  virtual ~JobStore() = default;

  // ALREADY_EXISTS when the id is taken.
  virtual Status create_job(const JobRecord& job) = 0;
  virtual Result<JobRecord> get_job(std::string_view id) = 0;
  // Newest first. NOT_FOUND when before_id names no job.
  virtual Result<std::vector<JobRecord>> list_jobs(const JobQuery& query) = 0;
  // Queued, running and cancelling jobs, oldest first.
  virtual Result<std::vector<JobRecord>> active_jobs() = 0;
  // Reads the job, checks that its state is one of `from` (FAILED_PRECONDITION naming the state otherwise), lets
  // `change` edit it and writes it back, in one transaction. Returns the job as written.
  virtual Result<JobRecord> update_job(std::string_view id, const std::vector<std::string_view>& from,
                                       const std::function<void(JobRecord&)>& change) = 0;
  // Progress of a running (or cancelling) job; a job in another state is left alone (OK).
  virtual Status update_progress(std::string_view id, double fraction, std::string_view message,
                                 const nlohmann::json& metrics) = 0;
  // At start: jobs left running by a maasd that died go back to queued (an interruption, not a failed attempt);
  // jobs left cancelling are cancelled. Returns the jobs requeued.
  virtual Result<std::vector<JobRecord>> requeue_interrupted(int64_t now_ms) = 0;
  // Deletes finished jobs whose final state is older than `before_ms`; returns their ids.
  virtual Result<std::vector<std::string>> delete_finished_before(int64_t before_ms, int limit) = 0;
};

}  // namespace maas::store
