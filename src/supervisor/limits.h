// Resource limits of supervised processes: memory and CPU slots, enforced by cgroup v2 where the machine
// delegates a cgroup to maasd, by rlimits otherwise (docs/ARCHITECTURE.md, "Process limits").
//
// cgroup v2: each process gets `<maasd's cgroup>/maas-<role>-<id>` with memory.max and cpu.max = slots x period;
// the child moves itself in before exec; the group is removed after the process is reaped. rlimits: RLIMIT_DATA
// caps memory (RLIMIT_AS would also count address space that LibTorch, OpenCV and jemalloc reserve but never
// touch); CPU slots then only set how many threads the process is told to use (MAAS_CPU_SLOTS, OMP_NUM_THREADS).
//
// Thread-safety: a ResourceLimiter is immutable after it is made; prepare() and release() may be called from any
// thread.
#pragma once

#include <sys/resource.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas::supervisor {

struct Limits {
  uint64_t memory_bytes = 0;  // 0: no memory limit
  int cpu_slots = 0;          // 0: no CPU limit
};

enum class LimitMode { kNone, kCgroup, kRlimit };

// True in an AddressSanitizer build: its shadow memory counts against RLIMIT_DATA, so memory rlimits are skipped.
bool sanitized_build();
std::string_view limit_mode_name(LimitMode mode);

// What one child applies to itself between fork and exec, using only async-signal-safe calls.
struct PreparedLimits {
  int cgroup_procs_fd = -1;      // the new group's cgroup.procs, open for writing ("0" moves the writer); -1: none
  rlim_t data_limit_bytes = 0;   // RLIMIT_DATA; 0: unchanged
  std::filesystem::path group;   // the cgroup made for the process; empty: none
};

class ResourceLimiter {
 public:
  // `setting` is "auto" (cgroup v2 when delegated, else rlimits), "cgroup" (an error when not available),
  // "rlimit" or "none".
  static Result<std::shared_ptr<ResourceLimiter>> create(std::string_view setting);
  // rlimits only (the fallback, and what tests use to exercise that path on any machine). Memory is limited
  // unless this is a sanitizer build (see sanitized_build()).
  static std::shared_ptr<ResourceLimiter> rlimits(bool limit_memory = !sanitized_build());
  // cgroup v2 under `parent`, a group maasd may write whose cgroup.controllers offer memory and cpu. Enables the
  // two controllers for children, first moving maasd into `parent/maasd` when `parent` holds processes.
  static Result<std::shared_ptr<ResourceLimiter>> cgroup(const std::filesystem::path& parent);
  static std::shared_ptr<ResourceLimiter> none();

  LimitMode mode() const { return mode_; }
  // One line for maasd's start log: which mechanism and why.
  const std::string& description() const { return description_; }

  // Before fork: makes the cgroup (cgroup mode) or computes the rlimit. `id` keeps groups apart.
  Result<PreparedLimits> prepare(const Limits& limits, std::string_view role, uint64_t id) const;
  // After the process is reaped: closes what prepare() opened and removes its group (killing any stray process
  // left in it). Returns a reason when the kernel killed the process for its memory limit, else "".
  std::string release(PreparedLimits& prepared) const;

  // Where maasd's own cgroup v2 group is and why it can or cannot be used (for the start log and tests).
  struct Detection {
    std::filesystem::path group;  // empty when there is no cgroup v2 hierarchy
    std::string why_not;          // empty when usable
  };
  static Detection detect_cgroup();

 private:
  ResourceLimiter(LimitMode mode, std::filesystem::path parent, std::string description)
      : mode_(mode), parent_(std::move(parent)), description_(std::move(description)) {}

  LimitMode mode_;
  bool limit_memory_ = true;
  std::filesystem::path parent_;
  std::string description_;
};

}  // namespace maas::supervisor
