#include "supervisor/limits.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace maas::supervisor {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kCpuPeriodUs = 100'000;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Status write_text(const fs::path& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return unavailable("cannot open " + path.string() + ": " + std::strerror(errno));
  ssize_t n = ::write(fd, text.data(), text.size());
  int error = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size())) {
    return unavailable("cannot write '" + std::string(text) + "' to " + path.string() + ": " + std::strerror(error));
  }
  return {};
}

bool has_word(const std::string& text, std::string_view word) {
  std::istringstream in(text);
  std::string token;
  while (in >> token) {
    if (token == word) return true;
  }
  return false;
}

// Groups a maasd that was killed left behind ("maas-<role>-<maasd pid>-<id>"; its processes died with it). Those
// of a maasd still running beside this one are left alone.
void remove_stale_groups(const fs::path& parent) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_directory(ec) || name.rfind("maas-", 0) != 0) continue;
    auto last = name.rfind('-');
    auto before = last == std::string::npos || last == 0 ? std::string::npos : name.rfind('-', last - 1);
    if (before == std::string::npos) continue;
    pid_t owner = static_cast<pid_t>(std::atol(name.substr(before + 1, last - before - 1).c_str()));
    if (owner > 0 && ::kill(owner, 0) != 0 && errno == ESRCH) ::rmdir(entry.path().c_str());
  }
}

Status enable_controllers(const fs::path& parent) {
  if (std::string enabled = read_text(parent / "cgroup.subtree_control");
      has_word(enabled, "memory") && has_word(enabled, "cpu")) {
    return {};
  }
  Status s = write_text(parent / "cgroup.subtree_control", "+memory +cpu");
  if (s.ok()) return s;
  // cgroup v2 lets a group with processes in it have no controlled children ("no internal processes"): maasd
  // moves itself into a leaf of its own first, as systemd's delegation documentation describes.
  std::error_code ec;
  fs::create_directory(parent / "maasd", ec);
  MAAS_RETURN_IF_ERROR(write_text(parent / "maasd" / "cgroup.procs", "0"));
  return write_text(parent / "cgroup.subtree_control", "+memory +cpu");
}

}  // namespace

std::string_view limit_mode_name(LimitMode mode) {
  switch (mode) {
    case LimitMode::kCgroup:
      return "cgroup";
    case LimitMode::kRlimit:
      return "rlimit";
    case LimitMode::kNone:
      break;
  }
  return "none";
}

bool sanitized_build() {
#if defined(__SANITIZE_ADDRESS__)
  return true;
#else
  return false;
#endif
}

ResourceLimiter::Detection ResourceLimiter::detect_cgroup() {
  Detection d;
  std::string relative;
  {
    std::ifstream in("/proc/self/cgroup");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("0::", 0) == 0) relative = line.substr(3);
    }
  }
  if (relative.empty()) {
    d.why_not = "there is no cgroup v2 hierarchy (/proc/self/cgroup has no 0:: entry)";
    return d;
  }
  // mountinfo: id parent major:minor root mount-point options ... - fstype source super-options
  fs::path mount_point;
  std::string mount_root = "/";
  {
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line)) {
      auto dash = line.find(" - ");
      if (dash == std::string::npos || line.compare(dash + 3, 8, "cgroup2 ") != 0) continue;
      std::istringstream fields(line.substr(0, dash));
      std::string id, parent, device, root, point;
      fields >> id >> parent >> device >> root >> point;
      mount_point = point;
      mount_root = root;
      break;
    }
  }
  if (mount_point.empty()) {
    d.why_not = "cgroup v2 is not mounted";
    return d;
  }
  if (mount_root != "/" && relative.rfind(mount_root, 0) == 0) relative = relative.substr(mount_root.size());
  d.group = mount_point / fs::path(relative).relative_path();
  std::string controllers = read_text(d.group / "cgroup.controllers");
  if (!has_word(controllers, "memory") || !has_word(controllers, "cpu")) {
    std::string offered = controllers.empty() ? "none" : controllers.substr(0, controllers.find('\n'));
    d.why_not = "maasd's cgroup v2 group " + d.group.string() + " does not offer the memory and cpu controllers (offers: " +
                offered + ")";
  } else if (::access(d.group.c_str(), W_OK) != 0 || ::access((d.group / "cgroup.subtree_control").c_str(), W_OK) != 0) {
    d.why_not = "maasd's cgroup v2 group " + d.group.string() + " is not delegated to it (not writable)";
  }
  return d;
}

Result<std::shared_ptr<ResourceLimiter>> ResourceLimiter::create(std::string_view setting) {
  if (setting == "none") return none();
  if (setting == "rlimit") return rlimits();
  if (setting != "auto" && setting != "cgroup") {
    return invalid_argument("process limits: '" + std::string(setting) + "' is not auto, cgroup, rlimit or none");
  }
  Detection d = detect_cgroup();
  if (d.why_not.empty()) {
    auto limiter = cgroup(d.group);
    if (limiter.ok() || setting == "cgroup") return limiter;
    d.why_not = limiter.status().message();
  } else if (setting == "cgroup") {
    return failed_precondition("process limits: cgroup was asked for but " + d.why_not);
  }
  auto fallback = rlimits();
  fallback->description_ += " (cgroup v2 not used: " + d.why_not + ")";
  return fallback;
}

std::shared_ptr<ResourceLimiter> ResourceLimiter::rlimits(bool limit_memory) {
  std::string description =
      !limit_memory
          ? "rlimits, memory not limited in a sanitizer build (its shadow memory counts against RLIMIT_DATA); CPU "
            "slots set the threads a process is told to use"
          : "rlimits: RLIMIT_DATA for memory; CPU slots set the threads a process is told to use";
  std::shared_ptr<ResourceLimiter> limiter(new ResourceLimiter(LimitMode::kRlimit, {}, description));
  limiter->limit_memory_ = limit_memory;
  return limiter;
}

std::shared_ptr<ResourceLimiter> ResourceLimiter::none() {
  return std::shared_ptr<ResourceLimiter>(new ResourceLimiter(LimitMode::kNone, {}, "none: processes are not limited"));
}

Result<std::shared_ptr<ResourceLimiter>> ResourceLimiter::cgroup(const fs::path& parent) {
  if (Status s = enable_controllers(parent); !s.ok()) {
    return failed_precondition("cannot enable the memory and cpu controllers under " + parent.string() + ": " +
                               s.message());
  }
  remove_stale_groups(parent);
  return std::shared_ptr<ResourceLimiter>(new ResourceLimiter(
      LimitMode::kCgroup, parent, "cgroup v2 under " + parent.string() + ": memory.max and cpu.max per process"));
}

Result<PreparedLimits> ResourceLimiter::prepare(const Limits& limits, std::string_view role, uint64_t id) const {
  PreparedLimits p;
  if (mode_ == LimitMode::kRlimit) {
    if (limit_memory_) p.data_limit_bytes = static_cast<rlim_t>(limits.memory_bytes);
    return p;
  }
  if (mode_ != LimitMode::kCgroup) return p;
  p.group = parent_ / ("maas-" + std::string(role) + "-" + std::to_string(::getpid()) + "-" + std::to_string(id));
  if (::mkdir(p.group.c_str(), 0755) != 0 && errno != EEXIST) {
    return unavailable("cannot create the cgroup " + p.group.string() + ": " + std::strerror(errno));
  }
  auto fail = [&](const Status& s) -> Result<PreparedLimits> {
    release(p);
    return s;
  };
  if (limits.memory_bytes > 0) {
    if (Status s = write_text(p.group / "memory.max", std::to_string(limits.memory_bytes)); !s.ok()) return fail(s);
    // Without this the limit could be escaped into swap; a machine without swap has no such file.
    if (fs::exists(p.group / "memory.swap.max")) (void)write_text(p.group / "memory.swap.max", "0");
  }
  if (limits.cpu_slots > 0) {
    std::string quota = std::to_string(limits.cpu_slots * kCpuPeriodUs) + " " + std::to_string(kCpuPeriodUs);
    if (Status s = write_text(p.group / "cpu.max", quota); !s.ok()) return fail(s);
  }
  p.cgroup_procs_fd = ::open((p.group / "cgroup.procs").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (p.cgroup_procs_fd < 0) return fail(unavailable("cannot open " + (p.group / "cgroup.procs").string()));
  return p;
}

std::string ResourceLimiter::release(PreparedLimits& p) const {
  if (p.cgroup_procs_fd >= 0) ::close(p.cgroup_procs_fd);
  p.cgroup_procs_fd = -1;
  if (p.group.empty()) return "";
  std::string reason;
  std::istringstream events(read_text(p.group / "memory.events"));
  std::string key;
  uint64_t count = 0;
  while (events >> key >> count) {
    if (key == "oom_kill" && count > 0) {
      std::string max = read_text(p.group / "memory.max");
      reason = "killed by the kernel for exceeding its memory limit (" + max.substr(0, max.find('\n')) + " bytes)";
    }
  }
  if (::rmdir(p.group.c_str()) != 0 && errno == EBUSY) {
    // A process the job started outside its process group is still in the cgroup: end it with the group.
    (void)write_text(p.group / "cgroup.kill", "1");
    ::rmdir(p.group.c_str());
  }
  p.group.clear();
  return reason;
}

}  // namespace maas::supervisor
