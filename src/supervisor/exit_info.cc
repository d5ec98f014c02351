#include "supervisor/exit_info.h"

#include <sys/wait.h>

#include <cstring>

namespace maas::supervisor {

std::string_view ExitInfo::category() const {
  if (out_of_memory) return "oom";
  if (signal != 0) return killed_by_supervisor ? "killed" : "signal";
  return exit_code == 0 ? "clean" : "error";
}

ExitInfo exit_info_from_wait_status(int status, bool killed_by_supervisor) {
  ExitInfo info;
  info.killed_by_supervisor = killed_by_supervisor;
  if (WIFSIGNALED(status)) {
    info.signal = WTERMSIG(status);
    const char* name = sigabbrev_np(info.signal);
    info.reason = "killed by signal " + std::to_string(info.signal) + " (SIG" + (name ? name : "?") + ")";
  } else if (WIFEXITED(status)) {
    info.exit_code = WEXITSTATUS(status);
    info.reason = "exited with code " + std::to_string(info.exit_code);
  } else {
    info.reason = "exit status unknown";
  }
  return info;
}

}  // namespace maas::supervisor
