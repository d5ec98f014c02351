// The supervisor.*, jobs.* and retraining.* settings (src/supervisor/, src/jobs/, docs/JOBS.md, docs/TRAINING.md).
#include "config/setting.h"

namespace maas::config {

std::vector<Setting> job_settings() {
  return {
      {{"supervisor.limits", "MAAS_SUPERVISOR_LIMITS", "--supervisor-limits",
        "how supervised processes get their memory and CPU limits: auto (cgroup v2 when maasd's group is delegated, "
        "else rlimits), cgroup, rlimit or none"},
       [](ServerConfig& c, const std::string& v) -> Status {
         if (v != "auto" && v != "cgroup" && v != "rlimit" && v != "none") {
           return invalid_argument("supervisor.limits: '" + v + "' is not auto, cgroup, rlimit or none");
         }
         c.process_limits = v;
         return {};
       }},
      {{"jobs.slots", "MAAS_JOBS_SLOTS", "--jobs-slots",
        "CPU slots shared by serving and jobs (0: the machine's cores, at least 2)"},
       int_setting(&ServerConfig::jobs_slots, "jobs.slots", 0, 4096)},
      {{"jobs.serving_reserved_slots", "MAAS_JOBS_SERVING_RESERVED_SLOTS", "--jobs-serving-reserved-slots",
        "CPU slots that jobs never get, so that serving keeps a share"},
       int_setting(&ServerConfig::jobs_serving_reserved_slots, "jobs.serving_reserved_slots", 0, 4096)},
      {{"jobs.guaranteed_slots", "MAAS_JOBS_GUARANTEED_SLOTS", "--jobs-guaranteed-slots",
        "CPU slots jobs keep however many threads the loaded model workers use (0: none; jobs then wait while "
        "workers use every slot)"},
       int_setting(&ServerConfig::jobs_guaranteed_slots, "jobs.guaranteed_slots", 0, 4096)},
      {{"jobs.max_running_per_key", "MAAS_JOBS_MAX_RUNNING_PER_KEY", "--jobs-max-running-per-key",
        "jobs of one API key running at once at most (0: no limit)"},
       int_setting(&ServerConfig::jobs_max_running_per_key, "jobs.max_running_per_key", 0, 100'000)},
      {{"jobs.max_queued_per_key", "MAAS_JOBS_MAX_QUEUED_PER_KEY", "--jobs-max-queued-per-key",
        "jobs of one API key waiting in the queue at most; more are refused with 429 (0: no limit)"},
       int_setting(&ServerConfig::jobs_max_queued_per_key, "jobs.max_queued_per_key", 0, 1'000'000)},
      {{"jobs.nice", "MAAS_JOBS_NICE", "--jobs-nice",
        "how much lower job processes' CPU priority is than serving's (their nice value above maasd's, 0 to 19): "
        "on a busy machine the model workers get the CPU first"},
       int_setting(&ServerConfig::jobs_nice, "jobs.nice", 0, 19)},
      {{"jobs.cancel_grace_ms", "MAAS_JOBS_CANCEL_GRACE_MS", "--jobs-cancel-grace-ms",
        "after SIGTERM, how long a cancelled job's process may take to stop before SIGKILL"},
       duration_ms(&ServerConfig::jobs_cancel_grace_ms, "jobs.cancel_grace_ms")},
      {{"jobs.progress_interval_ms", "MAAS_JOBS_PROGRESS_INTERVAL_MS", "--jobs-progress-interval-ms",
        "a running job's progress is written to the metadata store at most this often"},
       duration_ms(&ServerConfig::jobs_progress_interval_ms, "jobs.progress_interval_ms")},
      {{"jobs.max_checkpoint_bytes", "MAAS_JOBS_MAX_CHECKPOINT_BYTES", "--jobs-max-checkpoint-bytes",
        "largest checkpoint a job may save (e.g. 256MiB)"},
       size_bytes(&ServerConfig::jobs_max_checkpoint_bytes, "jobs.max_checkpoint_bytes")},
      {{"jobs.retention_ms", "MAAS_JOBS_RETENTION_MS", "--jobs-retention-ms",
        "finished jobs are deleted this long after they ended (0: kept)"},
       long_duration_ms(&ServerConfig::jobs_retention_ms, "jobs.retention_ms")},
      {{"jobs.plugins", "MAAS_JOBS_PLUGINS", "--jobs-plugins",
        "job plugins (shared libraries) whose job kinds maasd loads: comma-separated absolute paths, or a YAML "
        "list; their code runs inside maasd"},
       absolute_paths(&ServerConfig::jobs_plugins, "jobs.plugins")},
      {{"retraining.max_policies", "MAAS_RETRAINING_MAX_POLICIES", "--retraining-max-policies",
        "retraining policies (one per model) the server keeps at most; more are refused with 429"},
       int_setting(&ServerConfig::retraining_max_policies, "retraining.max_policies", 1, 1'000'000)},
      {{"retraining.runs_kept", "MAAS_RETRAINING_RUNS_KEPT", "--retraining-runs-kept",
        "finished retraining runs kept per model; older ones are deleted as new ones start"},
       int_setting(&ServerConfig::retraining_runs_kept, "retraining.runs_kept", 1, 1'000'000)},
      {{"retraining.min_interval_floor_ms", "MAAS_RETRAINING_MIN_INTERVAL_FLOOR_MS",
        "--retraining-min-interval-floor-ms",
        "the least min_interval_seconds a retraining policy may set (so that no trigger storm retrains in a loop; "
        "0: any)"},
       long_duration_ms(&ServerConfig::retraining_min_interval_floor_ms, "retraining.min_interval_floor_ms")},
  };
}

}  // namespace maas::config
