#include "runtime/worker_process.h"

#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include <boost/asio/steady_timer.hpp>

#include "runtime/wire.h"

extern char** environ;

namespace maas::runtime {
namespace asio = boost::asio;
WorkerProcess::WorkerProcess(asio::any_io_executor executor, pid_t pid, int fd, uint64_t max_reply_bytes)
    : channel_(executor, fd), watchdog_(executor), pid_(pid), max_reply_bytes_(max_reply_bytes) {}

std::shared_ptr<bool> WorkerProcess::arm_watchdog(std::chrono::milliseconds timeout) {
  auto expired = std::make_shared<bool>(false);
  watchdog_.expires_after(timeout);
  // The handler may run after this object is gone only with an error (the timer's destructor cancels it), and
  // then it touches nothing; `expired` is shared so the waiting coroutine can read it.
  watchdog_.async_wait([this, expired](const boost::system::error_code& ec) {
    if (ec) return;
    *expired = true;
    kill();  // a hung backend: only this process goes
  });
  return expired;
}

WorkerProcess::~WorkerProcess() {
  kill();
  reap();
}

Result<std::unique_ptr<WorkerProcess>> WorkerProcess::spawn(asio::any_io_executor executor, const WorkerOptions& o) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return unavailable(std::string("cannot create a worker channel: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // The child's end becomes fd 3 (dup2 clears close-on-exec on the copy).
  posix_spawn_file_actions_adddup2(&actions, fds[1], 3);
  std::vector<std::string> args = {o.worker_binary.string(), "--backend", o.backend_library.string(), "--framework",
                                   o.framework, "--artifact", o.artifact.string(), "--threads", std::to_string(o.threads)};
  if (!o.digest.empty()) args.insert(args.end(), {"--digest", o.digest});
  if (o.memory_limit_bytes > 0) args.insert(args.end(), {"--memory-limit-bytes", std::to_string(o.memory_limit_bytes)});
  args.insert(args.end(), o.extra_args.begin(), o.extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // A process group of its own: Ctrl-C at maasd's terminal must reach maasd (which drains), not kill the workers.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, o.worker_binary.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return unavailable("cannot start " + o.worker_binary.string() + ": " + std::strerror(rc));
  }
  // Eight bytes is the largest element: an answer over this is more than any tensor within the limit.
  const uint64_t max_elements = std::clamp<uint64_t>(o.max_tensor_elements, 1, kMaxTensorElementsCeiling);
  return std::unique_ptr<WorkerProcess>(new WorkerProcess(std::move(executor), pid, fds[0], max_elements * 8));
}

asio::awaitable<Result<wire::Message>> WorkerProcess::receive() {
  uint64_t skipped = 0;
  auto envelope = co_await channel_.receive(max_reply_bytes_, &skipped);
  if (!envelope.ok()) {
    // maasd would have to hold the answer, then encode it: the channel skipped it, and the worker stays up.
    if (envelope.status().code() == StatusCode::kPayloadTooLarge) {
      co_return invalid_argument("the model's answer holds " + std::to_string(skipped) +
                                 " bytes of tensors, more than the " + std::to_string(max_reply_bytes_) +
                                 " bytes maasd accepts from a worker (limits.max_tensor_elements x 8 bytes)");
    }
    co_return Status(envelope.status().code(), envelope.status().code() == StatusCode::kUnavailable
                                                   ? "the worker closed its channel"
                                                   : "the worker sent a malformed frame");
  }
  co_return wire::decode(envelope->frame, envelope->header, Buffer::adopt(std::move(envelope->payload)));
}

asio::awaitable<Status> WorkerProcess::send(const wire::Message& message) {
  wire::Frame frame;
  std::string head = wire::encode_head(message, &frame);
  std::vector<asio::const_buffer> tensors;
  tensors.reserve(message.tensors.size());
  for (const auto& t : message.tensors) tensors.emplace_back(t.data.data(), t.data.size());
  Status sent = co_await channel_.send(frame.kind, frame.request_id, head, tensors);
  if (!sent.ok()) co_return unavailable("the worker closed its channel");
  co_return Status();
}

asio::awaitable<Result<std::pair<uint32_t, std::vector<Tensor>>>> WorkerProcess::read_reply(nlohmann::json* header) {
  auto message = co_await receive();
  if (!message.ok()) co_return message.status();
  *header = std::move(message->header);
  co_return std::make_pair(static_cast<uint32_t>(message->kind), std::move(message->tensors));
}

asio::awaitable<Result<ModelSignature>> WorkerProcess::wait_ready(std::chrono::milliseconds timeout,
                                                                 nlohmann::json* ready_header) {
  auto expired = arm_watchdog(timeout);
  nlohmann::json header;
  auto reply = co_await read_reply(&header);
  watchdog_.cancel();
  if (!reply.ok()) {
    alive_ = false;
    std::string how = reap();
    if (*expired) co_return unavailable("the worker did not finish loading within " + std::to_string(timeout.count()) + " ms");
    co_return unavailable("the worker died while loading (" + how + ")");
  }
  if (reply->first == static_cast<uint32_t>(wire::Kind::kLoadFailed)) {
    alive_ = false;
    reap();
    co_return wire::status_from_json(header);
  }
  if (reply->first != static_cast<uint32_t>(wire::Kind::kReady)) co_return internal_error("the worker sent an unexpected message while loading");
  if (ready_header) *ready_header = header;
  co_return wire::signature_from_json(header.value("signature", nlohmann::json::object()));
}

asio::awaitable<Result<std::vector<Tensor>>> WorkerProcess::round_trip(wire::Message message,
                                                                       std::chrono::milliseconds timeout) {
  if (!alive_) co_return unavailable("the worker is not running");
  message.request_id = next_request_id_++;
  auto expired = arm_watchdog(timeout);
  Status sent = co_await send(message);
  Result<std::pair<uint32_t, std::vector<Tensor>>> reply = unavailable("the worker closed its channel");
  nlohmann::json header;
  if (sent.ok()) reply = co_await read_reply(&header);
  watchdog_.cancel();
  // An answer refused whole (too large) leaves the channel in step; anything else means the worker is gone.
  if (!reply.ok() && reply.status().code() == StatusCode::kInvalidArgument) co_return reply.status();
  if (!sent.ok() || !reply.ok()) {
    alive_ = false;
    std::string how = reap();
    if (*expired) co_return unavailable("the worker hung for more than " + std::to_string(timeout.count()) + " ms and was killed");
    co_return unavailable("the worker crashed (" + how + ")");
  }
  if (reply->first == static_cast<uint32_t>(wire::Kind::kError)) co_return wire::status_from_json(header);
  co_return std::move(reply->second);
}

asio::awaitable<Result<std::vector<Tensor>>> WorkerProcess::execute(const ExecuteRequest& request,
                                                                    std::chrono::milliseconds timeout,
                                                                    std::chrono::steady_clock::time_point deadline) {
  wire::Message message;
  message.kind = wire::Kind::kExecute;
  message.header = {{"outputs", request.outputs}, {"parameters", request.parameters}};
  if (deadline != std::chrono::steady_clock::time_point::max()) {
    message.header["deadline_ns"] = wire::deadline_to_ns(deadline);
  }
  message.tensors = request.inputs;
  co_return co_await round_trip(std::move(message), timeout);
}

asio::awaitable<Status> WorkerProcess::warm_up(std::chrono::milliseconds timeout) {
  wire::Message message;
  message.kind = wire::Kind::kWarmUp;
  auto reply = co_await round_trip(std::move(message), timeout);
  co_return reply.status();
}

void WorkerProcess::kill() {
  if (!reaped_ && pid_ > 0) ::kill(pid_, SIGKILL);
  alive_ = false;
  channel_.close();
}

std::string WorkerProcess::reap() {
  if (reaped_) return exit_reason_;
  int status = 0;
  pid_t got = ::waitpid(pid_, &status, WNOHANG);
  if (got == 0) {
    // Still running (a protocol error, not a death): end it so it cannot linger.
    ::kill(pid_, SIGKILL);
    got = ::waitpid(pid_, &status, 0);
  }
  reaped_ = true;
  if (got != pid_) {
    exit_reason_ = "exit status unknown";
  } else if (WIFSIGNALED(status)) {
    exit_reason_ = "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  } else {
    exit_reason_ = "exited with code " + std::to_string(WEXITSTATUS(status));
  }
  return exit_reason_;
}

}  // namespace maas::runtime
