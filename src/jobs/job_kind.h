// A job kind as maasd knows it: its name, how its parameters are checked, what it needs, how often it is tried,
// which executor runs it in a job process, and what maasd does when a job of it succeeds. Subsystems register
// kinds (directly, or from a plugin named in jobs.plugins); the job system knows none of them.
//
// Thread-safety: a JobKind is registered at start and read-only afterwards; its functions may be called from
// any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "supervisor/backoff.h"

namespace maas::jobs {

// What one job of a kind needs while it runs: CPU slots from the pool shared with serving, and a memory limit.
struct Resources {
  int cpu_slots = 1;
  uint64_t memory_bytes = 0;  // 0: no memory limit
};

// What on_succeeded sees of a job that succeeded.
struct SucceededJob {
  std::string id;  // stable across retries and requeues: key idempotent side effects on it
  std::string kind;
  std::string owner;
  nlohmann::json params;
  nlohmann::json result;
  // What on_succeeded recorded (e.g. {"version": {...}}), merged into the job's stored result: a pointer, so the
  // hook writes it through the const job it is given.
  std::shared_ptr<nlohmann::json> recorded = std::make_shared<nlohmann::json>(nlohmann::json::object());
};

struct JobKind {
  std::string name;         // "artifacts.verify": lowercase letters, digits, '.', '_' and '-'
  std::string description;  // one line, shown by GET /api/v1/jobs/kinds
  // Checks a submission's parameters and returns them normalized (defaults filled in): INVALID_ARGUMENT with a
  // message naming the field otherwise, which the submitter gets as a 400. Runs in maasd on an I/O thread:
  // quick checks only. Unset: parameters must be an object and are kept as they are.
  std::function<Result<nlohmann::json>(const nlohmann::json& params)> validate;
  Resources resources;
  // Attempts in all (a process that crashes or an executor that fails is retried after the backoff); an
  // executor's INVALID_ARGUMENT or FAILED_PRECONDITION fails at once, since trying again cannot help.
  supervisor::RestartPolicy retry{supervisor::Backoff(), 3};
  std::string executor;                   // the executor maas-job runs; empty: the kind's own name
  std::filesystem::path executor_plugin;  // the plugin maas-job loads it from; empty: built into maas-job
  // Runs in maasd (on a blocking pool) after a job succeeded, before it is shown as succeeded. A requeued job may
  // reach it twice with the same id: key what it writes on the id (e.g. register one model version per job).
  // An error fails the job with that message.
  std::function<Status(const SucceededJob& job)> on_succeeded;

  const std::string& executor_name() const { return executor.empty() ? name : executor; }
};

// INVALID_ARGUMENT unless `name` is 1-64 characters of [a-z0-9._-] starting with a letter.
Status check_kind_name(std::string_view name);

}  // namespace maas::jobs
