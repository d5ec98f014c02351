#include "supervisor/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "supervisor/proc_stats.h"

extern char** environ;

namespace maas::supervisor {
namespace asio = boost::asio;
namespace {

constexpr size_t kMaxStderrLine = 16 << 10;
// A child that cannot set itself up exits with this before exec (127 is the shell's "command not found").
constexpr int kSetupFailedExit = 126;

// Everything the child needs between fork and exec, computed before fork: the child may only make
// async-signal-safe calls (maasd has many threads; another may hold the allocator's lock).
struct ChildPlan {
  pid_t parent = 0;
  const char* path = nullptr;
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  int channel_fd = -1;
  int stderr_fd = -1;
  int cgroup_procs_fd = -1;
  rlim_t data_limit = 0;
  int nice = 0;
};

[[noreturn]] void exec_child(const ChildPlan& plan) {
  // Into its cgroup first, so that everything it does from here on is accounted there ("0": the writer itself).
  if (plan.cgroup_procs_fd >= 0 && ::write(plan.cgroup_procs_fd, "0", 1) != 1) ::_exit(kSetupFailedExit);
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != plan.parent) ::_exit(kSetupFailedExit);  // maasd died before the line above took effect
  // Relative to maasd's own; a failure (a value below maasd's needs privileges) leaves it as maasd's.
  if (plan.nice != 0) (void)::setpriority(PRIO_PROCESS, 0, ::getpriority(PRIO_PROCESS, 0) + plan.nice);
  if (plan.data_limit > 0) {
    rlimit limit{plan.data_limit, plan.data_limit};
    if (::setrlimit(RLIMIT_DATA, &limit) != 0) ::_exit(kSetupFailedExit);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  ::sigaction(SIGPIPE, &default_action, nullptr);  // maasd ignores it; a child decides for itself
  if (plan.stderr_fd >= 0) ::dup2(plan.stderr_fd, STDERR_FILENO);
  if (plan.channel_fd == kChannelFd) {
    ::fcntl(kChannelFd, F_SETFD, 0);  // dup2 onto itself would leave close-on-exec set
  } else {
    ::dup2(plan.channel_fd, kChannelFd);
  }
  // Nothing else of maasd's leaks into the child, whether or not it was opened close-on-exec.
  ::syscall(SYS_close_range, kChannelFd + 1, ~0U, 0);
  ::execve(plan.path, plan.argv, plan.envp);
  ::_exit(127);
}

std::vector<std::string> child_environment(const ProcessSpec& spec) {
  std::vector<std::pair<std::string, std::string>> overrides = spec.env;
  if (spec.limits.cpu_slots > 0) {
    // What a process is told to use: with rlimits this is the only CPU limit there is.
    overrides.emplace_back("MAAS_CPU_SLOTS", std::to_string(spec.limits.cpu_slots));
    overrides.emplace_back("OMP_NUM_THREADS", std::to_string(spec.limits.cpu_slots));
  }
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    std::string_view name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& [key, value] : overrides) replaced = replaced || key == name;
    if (!replaced) env.emplace_back(entry);
  }
  for (const auto& [key, value] : overrides) env.push_back(key + "=" + value);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int wait_blocking(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

auto awaitable_ec(boost::system::error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

}  // namespace

struct SupervisedProcess::StderrReader {
  StderrReader(asio::any_io_executor executor, int fd) : pipe(executor, fd) {}
  asio::posix::stream_descriptor pipe;
  std::function<void(std::string_view)> on_line;  // cleared when the process object goes
  std::string partial;
  bool finished = false;

  void emit(std::string_view line) {
    if (on_line) on_line(line);
  }
};

SupervisedProcess::SupervisedProcess(asio::any_io_executor executor, ProcessSpec spec, pid_t pid, int channel_fd,
                                     std::shared_ptr<const ResourceLimiter> limiter, PreparedLimits prepared,
                                     std::shared_ptr<ProcessTable> table)
    : executor_(executor),
      spec_(std::move(spec)),
      pid_(pid),
      channel_(executor, channel_fd),
      limiter_(std::move(limiter)),
      prepared_(std::move(prepared)),
      table_(std::move(table)) {
  table_id_ = table_->add(pid_, spec_.role, spec_.name);
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd >= 0) pidfd_.emplace(executor, pidfd);
}

SupervisedProcess::~SupervisedProcess() {
  if (stderr_) {
    stderr_->on_line = nullptr;
    boost::system::error_code ignored;
    stderr_->pipe.close(ignored);
  }
  if (!reaped_) {
    kill();
    finish(wait_blocking(pid_));
  }
  channel_.close();
}

void SupervisedProcess::signal_group(int signal) {
  if (reaped_) return;  // the pid may belong to someone else by now
  signalled_ = true;
  ::kill(-pid_, signal);
  ::kill(pid_, signal);  // in case the child died before its setpgid
}

bool SupervisedProcess::exited() const {
  if (reaped_) return true;
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_;
}

void SupervisedProcess::terminate() { signal_group(SIGTERM); }

void SupervisedProcess::kill() { signal_group(SIGKILL); }

asio::awaitable<ExitInfo> SupervisedProcess::wait() {
  if (reaped_) co_return exit_;
  boost::system::error_code ec;
  if (pidfd_) {
    co_await pidfd_->async_wait(asio::posix::descriptor_base::wait_read, awaitable_ec(ec));
  } else {
    // No pidfd (a kernel before 5.3): look every 20 ms without reaping.
    asio::steady_timer timer(executor_);
    for (;;) {
      siginfo_t info{};
      if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_) break;
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(awaitable_ec(ec));
    }
  }
  if (reaped_) co_return exit_;
  // The leader is a zombie now, so its process group id cannot be reused: end whatever it left running, which
  // also closes the stderr pipe they might hold.
  ::kill(-pid_, SIGKILL);
  if (ec) ::kill(pid_, SIGKILL);
  if (stderr_) {
    asio::steady_timer timer(executor_);
    for (int i = 0; i < 200 && !stderr_->finished; ++i) {
      timer.expires_after(std::chrono::milliseconds(5));
      co_await timer.async_wait(awaitable_ec(ec));
    }
  }
  if (!reaped_) finish(wait_blocking(pid_));
  co_return exit_;
}

void SupervisedProcess::finish(int wait_status) {
  reaped_ = true;
  exit_ = exit_info_from_wait_status(wait_status, signalled_);
  if (std::string oom = limiter_->release(prepared_); !oom.empty()) {
    exit_.out_of_memory = true;
    exit_.reason = oom;
  }
  table_->remove(table_id_, exit_);
  if (pidfd_) {
    boost::system::error_code ignored;
    pidfd_->close(ignored);
  }
}

uint64_t SupervisedProcess::rss_bytes() const { return reaped_ ? 0 : process_rss_bytes(pid_); }

double SupervisedProcess::cpu_seconds() const { return reaped_ ? 0 : process_cpu_seconds(pid_); }

void SupervisedProcess::start_stderr_reader(int fd) {
  stderr_ = std::make_shared<StderrReader>(executor_, fd);
  stderr_->on_line = spec_.on_stderr_line;
  asio::co_spawn(executor_, read_stderr(stderr_), asio::detached);
}

asio::awaitable<void> SupervisedProcess::read_stderr(std::shared_ptr<StderrReader> r) {
  char buffer[4096];
  for (;;) {
    boost::system::error_code ec;
    size_t n = co_await r->pipe.async_read_some(asio::buffer(buffer), awaitable_ec(ec));
    if (ec) break;
    r->partial.append(buffer, n);
    size_t start = 0;
    for (size_t newline; (newline = r->partial.find('\n', start)) != std::string::npos; start = newline + 1) {
      r->emit(std::string_view(r->partial).substr(start, newline - start));
    }
    r->partial.erase(0, start);
    while (r->partial.size() >= kMaxStderrLine) {
      r->emit(std::string_view(r->partial).substr(0, kMaxStderrLine));
      r->partial.erase(0, kMaxStderrLine);
    }
  }
  if (!r->partial.empty()) r->emit(r->partial);
  r->partial.clear();
  r->finished = true;
}

Supervisor::Supervisor(std::shared_ptr<const ResourceLimiter> limiter, metrics::Registry* registry)
    : limiter_(std::move(limiter)), table_(ProcessTable::create(registry)) {}

Result<std::unique_ptr<SupervisedProcess>> Supervisor::spawn(asio::any_io_executor executor, ProcessSpec spec) {
  if (::access(spec.binary.c_str(), X_OK) != 0) {
    return unavailable("cannot start " + spec.binary.string() + ": " + std::strerror(errno));
  }
  MAAS_ASSIGN_OR_RETURN(PreparedLimits prepared, limiter_->prepare(spec.limits, spec.role, next_limit_id_++));
  std::vector<std::string> args{spec.binary.string()};
  args.insert(args.end(), spec.args.begin(), spec.args.end());
  std::vector<char*> argv = pointers(args);
  std::vector<std::string> env = child_environment(spec);
  std::vector<char*> envp = pointers(env);

  int channel[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel) != 0) {
    limiter_->release(prepared);
    return unavailable(std::string("cannot create a channel: ") + std::strerror(errno));
  }
  int err[2] = {-1, -1};
  if (spec.on_stderr_line && ::pipe2(err, O_CLOEXEC) != 0) {
    ::close(channel[0]);
    ::close(channel[1]);
    limiter_->release(prepared);
    return unavailable(std::string("cannot create a stderr pipe: ") + std::strerror(errno));
  }
  ChildPlan plan;
  plan.parent = ::getpid();
  plan.path = args.front().c_str();
  plan.argv = argv.data();
  plan.envp = envp.data();
  plan.channel_fd = channel[1];
  plan.stderr_fd = err[1];
  plan.cgroup_procs_fd = prepared.cgroup_procs_fd;
  plan.data_limit = prepared.data_limit_bytes;
  plan.nice = spec.nice;
  pid_t pid = ::fork();
  if (pid == 0) exec_child(plan);
  int fork_errno = errno;
  ::close(channel[1]);
  if (err[1] >= 0) ::close(err[1]);
  if (pid < 0) {
    ::close(channel[0]);
    if (err[0] >= 0) ::close(err[0]);
    limiter_->release(prepared);
    return unavailable("cannot start " + spec.binary.string() + ": " + std::strerror(fork_errno));
  }
  std::unique_ptr<SupervisedProcess> process(
      new SupervisedProcess(executor, std::move(spec), pid, channel[0], limiter_, std::move(prepared), table_));
  if (err[0] >= 0) process->start_stderr_reader(err[0]);
  return process;
}

}  // namespace maas::supervisor
