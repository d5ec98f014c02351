// A model worker's memory limit: the default maasd gives each worker, and how a worker applies a limit to itself.
// The limit is RLIMIT_DATA (private writable memory: heap, anonymous mappings, thread stacks), not RLIMIT_AS:
// LibTorch, OpenCV and glibc's arenas reserve address space they never touch (an idle worker maps ~600 MB but
// holds ~90 MB of data), so an address-space limit low enough to matter would refuse healthy workers. A worker over
// its limit gets a failed allocation (its request fails, or it dies), never maasd or another process.
// Thread-safety: plain functions; limit_own_memory() affects the whole calling process.
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/status.h"

namespace maas::runtime {

// The memory this process may use: the smaller of physical memory (MemTotal in <proc_root>/meminfo) and the
// memory limit of its cgroup or any ancestor (v2 memory.max, v1 memory.limit_in_bytes, under `cgroup_root`);
// 0 when none can be read. The roots are parameters for tests.
uint64_t memory_available_bytes(const std::filesystem::path& proc_root = "/proc",
                                const std::filesystem::path& cgroup_root = "/sys/fs/cgroup");

// runtime.worker_memory_limit's "auto": half of memory_available_bytes(). One worker may then grow large, but a
// runaway allocation (a huge warm-up, a model that expands its input) fails inside that worker long before the
// kernel's out-of-memory killer would pick a victim among maasd and its workers. (The sum over all workers is
// what runtime.memory_budget bounds.)
uint64_t default_worker_memory_limit();

// The private writable memory this process holds now (VmData in <proc_root>/self/status); 0 when unreadable.
uint64_t own_data_bytes(const std::filesystem::path& proc_root = "/proc");

// Lets this process hold at most `bytes` more data than it holds now (RLIMIT_DATA = own_data_bytes() + bytes);
// 0 leaves it as it is. Called by a worker first thing, before it loads: what it holds then is its libraries'
// writable segments and static data (about 80 MB in maas-worker, which links LibTorch, OpenCV and libxgboost) — or, under AddressSanitizer, the shadow memory's reservation (terabytes
// of address space, all counted as data), which a plain limit would leave no room beside.
Status limit_own_memory(uint64_t bytes);

}  // namespace maas::runtime
