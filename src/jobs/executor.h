// The job process's side of a job kind: an executor runs one job in maas-job, with a JobContext that gives it
// its parameters, a scratch directory, and the ways to report progress, logs, checkpoints and its result.
// Executors live in maas-job (built in) or in plugins it loads; heavy libraries (LibTorch, DuckDB) belong here,
// never in maasd.
//
// Thread-safety: the executor runs on one thread; every JobContext method may be called from any thread.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::jobs {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

class JobContext {
 public:
  virtual ~JobContext() = default;

  virtual const std::string& job_id() const = 0;
  virtual const nlohmann::json& params() const = 0;  // as the kind's validate() normalized them
  // Empty at the start of each attempt, removed when the job ends. For files too big for a checkpoint.
  virtual const std::filesystem::path& scratch_dir() const = 0;
  virtual int attempt() const = 0;    // 1 for the first
  virtual int cpu_slots() const = 0;  // how many threads to use

  // `fraction` in 0..1 (clamped); maasd derives the ETA. `metrics`: the current values worth showing (loss, rows).
  // Cheap: sent at most every 100 ms, the last one always.
  virtual void progress(double fraction, std::string_view message,
                        const std::map<std::string, double>& metrics = {}) = 0;
  // One line of the job's log (the log center, labelled with the job's id). Lines on stderr get there too.
  virtual void log(LogLevel level, std::string_view line) = 0;
  // Stores `bytes` durably (maasd writes them atomically under jobs/<id>/ in its data dir) and returns once they
  // are; an attempt that follows a crash or a requeue reads them back with checkpoint(). At most
  // jobs.max_checkpoint_bytes.
  virtual Status save_checkpoint(std::string_view bytes) = 0;
  // The last checkpoint saved, by this attempt or an earlier one; nullopt when there is none.
  virtual std::optional<std::string> checkpoint() const = 0;
  // True once the job is being cancelled (or maasd is stopping it): stop soon and return.
  virtual bool cancelled() const = 0;
  // What the job produced, shown in GET /api/v1/jobs/{id} and passed to the kind's on_succeeded.
  virtual void set_result(nlohmann::json result) = 0;
  // Asks maasd a question and waits for the answer: the handler a subsystem registered for `topic`
  // (JobService::answer) decides, e.g. whether a study's trial goes on after a round. Its error comes back as it
  // is; FAILED_PRECONDITION when no handler has the topic (or, here, for a context that cannot ask).
  virtual Result<nlohmann::json> ask(std::string_view topic, const nlohmann::json& question) {
    (void)question;
    return failed_precondition("this job cannot ask maasd about '" + std::string(topic) + "'");
  }
};

// Runs one job. OK: the job succeeded (with the result set, if any). An error fails this attempt (see
// JobKind::retry). Exceptions are caught by maas-job and fail the attempt.
using Executor = std::function<Status(JobContext& context)>;

}  // namespace maas::jobs
