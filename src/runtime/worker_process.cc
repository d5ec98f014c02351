#include "runtime/worker_process.h"

#include <algorithm>

#include <boost/asio/steady_timer.hpp>

#include "runtime/wire.h"

namespace maas::runtime {
namespace asio = boost::asio;

WorkerProcess::WorkerProcess(asio::any_io_executor executor, std::unique_ptr<supervisor::SupervisedProcess> process,
                             uint64_t max_reply_bytes)
    : process_(std::move(process)), channel_(process_->channel()), watchdog_(executor), max_reply_bytes_(max_reply_bytes) {}

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

WorkerProcess::~WorkerProcess() { kill(); }

Result<std::unique_ptr<WorkerProcess>> WorkerProcess::spawn(asio::any_io_executor executor,
                                                            supervisor::Supervisor& supervisor, const WorkerOptions& o) {
  supervisor::ProcessSpec spec;
  spec.binary = o.worker_binary;
  spec.args = {"--backend", o.backend_library.string(), "--framework", o.framework, "--artifact", o.artifact.string(),
               "--threads", std::to_string(o.threads)};
  if (!o.digest.empty()) spec.args.insert(spec.args.end(), {"--digest", o.digest});
  // The worker caps its own data on top of what it holds once its plugin is loaded (worker_memory.h), which a
  // limit set before exec could not: the supervisor gives it its CPU slots (its threads) and accounts for it.
  if (o.memory_limit_bytes > 0) spec.args.insert(spec.args.end(), {"--memory-limit-bytes", std::to_string(o.memory_limit_bytes)});
  spec.args.insert(spec.args.end(), o.extra_args.begin(), o.extra_args.end());
  spec.role = o.role;
  spec.name = o.name;
  spec.limits.cpu_slots = o.threads;
  MAAS_ASSIGN_OR_RETURN(auto process, supervisor.spawn(executor, std::move(spec)));
  // Eight bytes is the largest element: an answer over this is more than any tensor within the limit.
  const uint64_t max_elements = std::clamp<uint64_t>(o.max_tensor_elements, 1, kMaxTensorElementsCeiling);
  return std::unique_ptr<WorkerProcess>(new WorkerProcess(std::move(executor), std::move(process), max_elements * 8));
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
    std::string how = co_await reap();
    if (*expired) co_return unavailable("the worker did not finish loading within " + std::to_string(timeout.count()) + " ms");
    co_return unavailable("the worker died while loading (" + how + ")");
  }
  if (reply->first == static_cast<uint32_t>(wire::Kind::kLoadFailed)) {
    alive_ = false;
    co_await reap();
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
    std::string how = co_await reap();
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
  if (process_->running()) process_->kill();
  alive_ = false;
  channel_.close();
}

asio::awaitable<std::string> WorkerProcess::reap() {
  // A worker still running after its channel failed sent something malformed: it must not linger. One that died
  // by itself gets no signal, so its end is told (and counted) as its own.
  if (!process_->exited()) process_->kill();
  alive_ = false;
  channel_.close();
  supervisor::ExitInfo exit = co_await process_->wait();
  co_return exit.reason;
}

}  // namespace maas::runtime
