// The job system's records in the log center: each job's log lines, in {job="maasd", kind="job"}, and its events
// (submitted, started, succeeded, failed, retried, cancelled, requeued) in {job="maasd", kind="event"} beside the
// runtime's. The job's id travels in the JSON line, not as a label: labels stay few and low in cardinality, as the
// log center asks (docs/LOGS.md); `| json | job_id="..."` finds one job's records.
//
// Thread-safety: every function may be called from any thread and never blocks (records are queued).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "jobs/executor.h"
#include "logs/log_center.h"

namespace maas::jobs {

// Where a log line came from: "job" (JobContext::log), "stderr" (the process), "maasd" (what maasd says of it).
void record_job_log(logs::LogCenter& center, std::string_view job_id, std::string_view kind, int attempt,
                    std::string_view source, LogLevel level, std::string_view line);
// `event` without the "job_" prefix: "submitted", "started", ...; `detail` adds fields (reason, attempt, delay).
void record_job_event(logs::LogCenter& center, std::string_view event, std::string_view job_id, std::string_view kind,
                      nlohmann::json detail = nlohmann::json::object());

// The LogQL that selects one job's log lines.
std::string job_log_query(std::string_view job_id);

}  // namespace maas::jobs
