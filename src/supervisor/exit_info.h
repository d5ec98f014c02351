// How a supervised process ended, in words for people and in a small category for metrics.
// Thread-safety: a plain value.
#pragma once

#include <string>
#include <string_view>

namespace maas::supervisor {

struct ExitInfo {
  int exit_code = -1;  // when the process exited by itself; -1 when a signal ended it
  int signal = 0;      // the signal that ended it; 0 when it exited
  bool killed_by_supervisor = false;  // maas sent that signal (kill, terminate, shutdown)
  bool out_of_memory = false;         // the kernel killed it for its cgroup's memory limit
  std::string reason;  // "exited with code 3", "killed by signal 9 (SIGKILL)", or the memory limit it exceeded

  bool clean() const { return signal == 0 && exit_code == 0; }
  // "clean", "error" (a non-zero exit), "killed" (by maas), "oom", or "signal" (a crash, or a kill from outside).
  std::string_view category() const;
};

// ExitInfo from a waitpid() status.
ExitInfo exit_info_from_wait_status(int status, bool killed_by_supervisor);

}  // namespace maas::supervisor
