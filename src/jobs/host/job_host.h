// maas-job's side of a job: reads Start from the channel on fd 3, finds the executor (built in, or in the plugin
// the kind names), runs it with a JobContext that talks to maasd over the channel, and reports Done. SIGTERM
// (maasd cancelling the job) makes JobContext::cancelled() true.
//
// Threading: the executor runs on the calling thread; a reader thread takes maasd's acknowledgements.
#pragma once

#include <map>
#include <string>

#include "jobs/executor.h"

namespace maas::jobs {

using ExecutorTable = std::map<std::string, Executor, std::less<>>;

// Runs the one job maasd sends and returns the process's exit code: 0 when the executor succeeded, 1 when it
// failed, 2 when maasd could not be talked to.
int run_job_host(ExecutorTable builtins);

}  // namespace maas::jobs
