// What /proc says about a running process: resident memory and CPU time.
// Thread-safety: stateless; call from any thread.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace maas::supervisor {

// Resident memory of a process in bytes (/proc/<pid>/statm); 0 when it is gone.
uint64_t process_rss_bytes(pid_t pid);
// CPU time of a process, user + system, in seconds (/proc/<pid>/stat); 0 when it is gone.
double process_cpu_seconds(pid_t pid);

}  // namespace maas::supervisor
