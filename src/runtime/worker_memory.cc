#include "runtime/worker_memory.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace maas::runtime {
namespace {

// cgroup files say "max" (v2) or a huge number (v1: 2^63 rounded to pages) for no limit.
constexpr uint64_t kNoLimit = uint64_t{1} << 62;

std::optional<uint64_t> read_number(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string text;
  if (!(in >> text)) return std::nullopt;
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value >= kNoLimit) return std::nullopt;
  return value;
}

// The smallest `limit_file` from the cgroup directory `relative` up to `root` itself.
std::optional<uint64_t> smallest_limit_upwards(const std::filesystem::path& root, std::filesystem::path relative,
                                               const char* limit_file) {
  std::optional<uint64_t> smallest;
  for (;;) {
    if (auto limit = read_number(root / relative.relative_path() / limit_file)) {
      smallest = std::min(smallest.value_or(*limit), *limit);
    }
    if (relative.relative_path().empty()) return smallest;
    relative = relative.parent_path();
  }
}

std::optional<uint64_t> cgroup_limit(const std::filesystem::path& proc_root, const std::filesystem::path& cgroup_root) {
  std::ifstream in(proc_root / "self" / "cgroup");
  std::optional<uint64_t> smallest;
  std::string line;
  // Lines are "ID:CONTROLLERS:PATH": "0::/a/b" for v2, "4:memory:/a/b" for v1's memory controller.
  while (std::getline(in, line)) {
    size_t first = line.find(':');
    size_t second = first == std::string::npos ? std::string::npos : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::filesystem::path path = line.substr(second + 1);
    std::optional<uint64_t> limit;
    if (controllers.empty()) {
      limit = smallest_limit_upwards(cgroup_root, path, "memory.max");
    } else if (("," + controllers + ",").find(",memory,") != std::string::npos) {
      limit = smallest_limit_upwards(cgroup_root / "memory", path, "memory.limit_in_bytes");
    }
    if (limit) smallest = std::min(smallest.value_or(*limit), *limit);
  }
  return smallest;
}

// The "KEY:   N kB" line of a /proc file (meminfo, status), in bytes.
std::optional<uint64_t> kib_field(const std::filesystem::path& file, std::string_view key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() <= key.size() || line.compare(0, key.size(), key) != 0 || line[key.size()] != ':') continue;
    std::istringstream fields(line.substr(key.size() + 1));
    uint64_t kib = 0;
    if (fields >> kib) return kib * 1024;
  }
  return std::nullopt;
}

}  // namespace

uint64_t memory_available_bytes(const std::filesystem::path& proc_root, const std::filesystem::path& cgroup_root) {
  std::optional<uint64_t> physical = kib_field(proc_root / "meminfo", "MemTotal");
  std::optional<uint64_t> cgroup = cgroup_limit(proc_root, cgroup_root);
  if (physical && cgroup) return std::min(*physical, *cgroup);
  return physical.value_or(cgroup.value_or(0));
}

uint64_t default_worker_memory_limit() { return memory_available_bytes() / 2; }

uint64_t own_data_bytes(const std::filesystem::path& proc_root) {
  return kib_field(proc_root / "self" / "status", "VmData").value_or(0);
}

Status limit_own_memory(uint64_t bytes) {
  if (bytes == 0) return {};
  const uint64_t held = own_data_bytes();
  if (held > UINT64_MAX - bytes) return {};  // nothing could ever reach such a limit
  const rlim_t total = held + bytes;
  rlimit limit{total, total};
  // An unprivileged process cannot raise its hard limit: a lower one inherited from maasd stays.
  if (rlimit current{}; ::getrlimit(RLIMIT_DATA, &current) == 0 && current.rlim_max < total) {
    limit.rlim_cur = limit.rlim_max = current.rlim_max;
  }
  if (::setrlimit(RLIMIT_DATA, &limit) != 0) {
    return internal_error("cannot limit the worker's memory to " + std::to_string(bytes) + " bytes more than the " +
                          std::to_string(held) + " it holds: " + std::strerror(errno));
  }
  return {};
}

}  // namespace maas::runtime
