// The executor of data.rule jobs, run in maas-job: runs a rule over its input — a dataset version's snapshot file, or
// a source's rows read in full into the job's scratch directory — on a DuckDB database that may touch only that
// file and the outputs, and reports {input_rows, rows, rejected_rows, file, rejects_file}. maasd's half of the kind
// (data/api/rule_job_kind.cc) records the files as the next version of the target dataset once the job has
// succeeded.
//
// Thread-safety: runs on the job's one thread.
#pragma once

#include "jobs/executor.h"
#include "jobs/params.h"

namespace maas::data::rules {

inline constexpr const char* kRuleJobKind = "data.rule";

// Params (filled by the kind's validate in maasd): rule, rule_version, spec, into, input ({dataset, version, file}
// or {source}), data_dir, file_roots, memory_limit_bytes, max_pattern_bytes, regex_max_mem_bytes.
Status run_rule_job(jobs::JobContext& job);

// params[key] as a string; INVALID_ARGUMENT naming params.<key> otherwise.
using jobs::string_param;

}  // namespace maas::data::rules
