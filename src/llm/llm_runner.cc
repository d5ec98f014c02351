#include "llm/llm_runner.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

#include "supervisor/restart.h"

namespace maas::llm {
namespace asio = boost::asio;
namespace wire = runtime::wire;
using Clock = std::chrono::steady_clock;
using runtime::ModelState;

struct Stream::State {
  explicit State(asio::any_io_executor caller, uint64_t id) : waiter(std::move(caller)), id(id) {}
  std::mutex mu;
  std::deque<StreamEvent> events;  // filled on the runner's strand, drained by the caller
  asio::steady_timer waiter;       // the caller sleeps on it; the runner wakes it through the caller's executor
  uint64_t id;
  bool finished = false;  // caller only: the last event was taken
};

struct LlmRunner::Open {
  std::shared_ptr<Stream::State> state;
  Clock::time_point started = Clock::now();
  Clock::time_point last_token;
  bool seen_token = false;
};

namespace {

bool is_last(StreamEvent::Type t) {
  return t == StreamEvent::Type::kDone || t == StreamEvent::Type::kEmbeddings || t == StreamEvent::Type::kError;
}

}  // namespace

Stream::~Stream() {
  if (state_->finished) return;
  if (auto runner = runner_.lock()) runner->cancel(state_->id);
}

asio::awaitable<StreamEvent> Stream::next() {
  for (;;) {
    {
      std::lock_guard lock(state_->mu);
      if (!state_->events.empty()) {
        StreamEvent event = std::move(state_->events.front());
        state_->events.pop_front();
        if (is_last(event.type)) state_->finished = true;
        co_return event;
      }
    }
    // No suspension between the check above and this wait, and the runner's wake-up is posted to this (strand)
    // executor, so a wake-up cannot fall between the two.
    state_->waiter.expires_at(Clock::time_point::max());
    boost::system::error_code ec;
    co_await state_->waiter.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

LlmRunner::LlmRunner(asio::io_context& io, supervisor::Supervisor& supervisor, std::string model, int64_t version,
                     runtime::BackendInfo backend, runtime::WorkerOptions worker, LlmConfig config, LlmMetrics& metrics,
                     runtime::RuntimeMetrics& events)
    : io_(io),
      strand_(asio::make_strand(io)),
      supervisor_(supervisor),
      events_(events),
      model_(std::move(model)),
      version_(version),
      backend_(std::move(backend)),
      worker_(std::move(worker)),
      config_(config),
      series_(metrics.series(model_, std::to_string(version))) {}

LlmRunner::~LlmRunner() {
  // Its worker's series in maas_worker_* (filled from instances() at each scrape) go with it, as a tensor version's.
  events_.worker_rss.remove({model_, std::to_string(version_), "0"});
  events_.worker_cpu.remove({model_, std::to_string(version_), "0"});
  series_.running->set(0);
  series_.waiting->set(0);
  series_.kv_usage->set(0);
  series_.streams_open->set(0);
}

void LlmRunner::set_state(ModelState state, std::string reason) {
  std::lock_guard lock(mu_);
  if (state_ != state || reason_ != reason) {
    spdlog::info("model {}:{} is {}{}{}", model_, version_, runtime::model_state_name(state), reason.empty() ? "" : ": ",
                 reason);
    events_.emit({model_, version_, "state", std::string(runtime::model_state_name(state)), reason});
  }
  state_ = state;
  reason_ = std::move(reason);
}

ModelState LlmRunner::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

std::string LlmRunner::reason() const {
  std::lock_guard lock(mu_);
  return reason_;
}

ModelInfo LlmRunner::info() const {
  std::lock_guard lock(mu_);
  return info_;
}

int64_t LlmRunner::open_streams() const {
  std::lock_guard lock(mu_);
  return open_count_;
}

runtime::ModelStats LlmRunner::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

std::vector<runtime::InstanceInfo> LlmRunner::instances() const {
  runtime::InstanceInfo instance;
  {
    std::lock_guard lock(mu_);
    instance.pid = pid_;
    instance.alive = pid_ > 0;
    instance.ready = instance.alive && state_ == ModelState::kReady;
    instance.busy = open_count_ > 0;
    instance.restarts = stats_.worker_restarts;
  }
  if (instance.alive) {
    instance.rss_bytes = runtime::process_rss_bytes(instance.pid);
    instance.cpu_seconds = runtime::process_cpu_seconds(instance.pid);
  }
  return {instance};
}

uint64_t LlmRunner::resident_bytes() const {
  int pid = 0;
  {
    std::lock_guard lock(mu_);
    pid = pid_;
  }
  return pid > 0 ? runtime::process_rss_bytes(pid) : 0;
}

Clock::time_point LlmRunner::last_used() const {
  return Clock::time_point(Clock::duration(last_used_.load(std::memory_order_relaxed)));
}

asio::awaitable<Status> LlmRunner::start() {
  co_await asio::post(strand_, asio::use_awaitable);
  set_state(ModelState::kLoading, "starting the worker");
  Status s = co_await start_worker();
  if (!s.ok()) {
    set_state(ModelState::kFailed, s.message());
    co_return s;
  }
  set_state(ModelState::kReady, "");
  co_return Status();
}

asio::awaitable<Status> LlmRunner::start_worker() {
  runtime::WorkerOptions options = worker_;
  options.role = "llm";
  options.name = model_ + ":" + std::to_string(version_) + "#0";
  auto process = runtime::WorkerProcess::spawn(strand_, supervisor_, options);
  if (!process.ok()) co_return process.status();
  process_ = std::move(*process);
  {
    std::lock_guard lock(mu_);
    pid_ = process_->pid();
  }
  nlohmann::json ready;
  auto signature = co_await process_->wait_ready(std::chrono::milliseconds(config_.load_timeout_ms), &ready);
  if (!signature.ok()) co_return signature.status();
  {
    std::lock_guard lock(mu_);
    info_ = model_info_from_json(ready.value("model", nlohmann::json::object()));
  }
  auto reader = read_loop(shared_from_this());
  asio::co_spawn(strand_, std::move(reader), asio::detached);
  co_return Status();
}

void LlmRunner::stop(bool drain) {
  asio::post(strand_, [self = shared_from_this(), drain] {
    if (self->stopping_) return;
    if (drain && !self->open_.empty()) {
      // New streams are refused (the state is no longer READY); the open ones finish, then halt().
      self->draining_ = true;
      self->set_state(ModelState::kUnloading, "unloading: finishing the open streams");
      return;
    }
    self->halt();
  });
}

void LlmRunner::halt() {
  stopping_ = true;
  set_state(ModelState::kUnloading, "unloading");
  fail_all(unavailable("model " + model_ + " version " + std::to_string(version_) + " is being unloaded"));
  if (process_) process_->kill();
  std::lock_guard lock(mu_);
  pid_ = 0;
}

void LlmRunner::kill_now() {
  stopping_ = true;
  if (process_) process_->kill();  // reaped when the process object goes
}

asio::awaitable<Result<std::unique_ptr<Stream>>> LlmRunner::open(uint32_t kind, nlohmann::json header) {
  ModelState s = state();
  if (s != ModelState::kReady) {
    co_return unavailable("model " + model_ + " version " + std::to_string(version_) + " is " +
                          std::string(runtime::model_state_name(s)) + (reason().empty() ? "" : ": " + reason()));
  }
  uint64_t id = 0;
  last_used_.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
  {
    std::lock_guard lock(mu_);
    if (open_count_ >= config_.max_streams) {
      co_return Status(StatusCode::kResourceExhausted, "model " + model_ + " has " + std::to_string(open_count_) +
                                                           " open streams, its limit; retry shortly");
    }
    id = next_id_++;
    ++open_count_;
    series_.streams_open->set(static_cast<double>(open_count_));
  }
  auto caller = co_await asio::this_coro::executor;
  auto stream = std::unique_ptr<Stream>(new Stream());
  stream->state_ = std::make_shared<Stream::State>(caller, id);
  stream->runner_ = weak_from_this();
  auto open = std::make_shared<Open>();
  open->state = stream->state_;
  asio::post(strand_, [self = shared_from_this(), open, kind, header = std::move(header)]() mutable {
    if (self->stopping_ || !self->process_ || !self->process_->alive()) {
      self->open_[open->state->id] = open;
      return self->deliver(open->state->id,
                           {StreamEvent::Type::kError, {}, 0, {}, {}, unavailable("the worker is not running"), {}, {}},
                           true);
    }
    self->open_[open->state->id] = open;
    wire::Message m;
    m.kind = static_cast<wire::Kind>(kind);
    m.request_id = open->state->id;
    m.header = std::move(header);
    self->send(std::move(m));
  });
  co_return stream;
}

asio::awaitable<Result<std::unique_ptr<Stream>>> LlmRunner::generate(const GenerateRequest& request) {
  return open(static_cast<uint32_t>(MessageKind::kGenerate), to_json(request));
}

asio::awaitable<Result<std::unique_ptr<Stream>>> LlmRunner::embed(const EmbedRequest& request) {
  return open(static_cast<uint32_t>(MessageKind::kEmbed),
              {{"inputs", request.inputs}, {"token_inputs", request.token_inputs}});
}

void LlmRunner::cancel(uint64_t id) {
  asio::post(strand_, [self = shared_from_this(), id] {
    auto it = self->open_.find(id);
    if (it == self->open_.end()) return;
    self->open_.erase(it);
    self->series_.cancelled->inc();
    {
      std::lock_guard lock(self->mu_);
      --self->open_count_;
      self->series_.streams_open->set(static_cast<double>(self->open_count_));
    }
    wire::Message m;
    m.kind = static_cast<wire::Kind>(MessageKind::kCancel);
    m.request_id = id;
    self->send(std::move(m));
    if (self->draining_ && self->open_.empty() && !self->stopping_) self->halt();
  });
}

void LlmRunner::send(wire::Message message) {
  if (!process_ || !process_->alive()) return;
  outbox_.push_back(std::move(message));
  if (writing_) return;
  writing_ = true;
  auto writer = write_loop(shared_from_this());
  asio::co_spawn(strand_, std::move(writer), asio::detached);
}

asio::awaitable<void> LlmRunner::write_loop(std::shared_ptr<LlmRunner> /*self*/) {
  // One write in flight at a time: Asio's composed writes must not interleave on a socket.
  while (!outbox_.empty() && process_ && process_->alive()) {
    Status s = co_await process_->send(outbox_.front());
    if (!s.ok()) break;  // the reader sees the closed channel and handles the crash
    outbox_.pop_front();
  }
  outbox_.clear();
  writing_ = false;
}

void LlmRunner::deliver(uint64_t id, StreamEvent event, bool last) {
  auto it = open_.find(id);
  if (it == open_.end()) return;  // cancelled meanwhile
  auto open = it->second;
  if (event.type == StreamEvent::Type::kText && event.tokens > 0) {
    auto now = Clock::now();
    if (!open->seen_token) {
      series_.time_to_first_token->observe(std::chrono::duration<double>(now - open->started).count());
      open->seen_token = true;
    } else {
      series_.inter_token_latency->observe(std::chrono::duration<double>(now - open->last_token).count());
    }
    open->last_token = now;
  }
  if (last) {
    open_.erase(it);
    on_stream_end(*open, event.type != StreamEvent::Type::kError);
  }
  auto state = open->state;
  {
    std::lock_guard lock(state->mu);
    state->events.push_back(std::move(event));
  }
  asio::post(state->waiter.get_executor(), [state] { state->waiter.cancel(); });
  if (last && draining_ && open_.empty() && !stopping_) halt();  // the last open stream of an unload ended
}

void LlmRunner::on_stream_end(const Open& open, bool ok) {
  auto now = Clock::now();
  std::lock_guard lock(mu_);
  --open_count_;
  series_.streams_open->set(static_cast<double>(open_count_));
  stats_.inference_count++;
  stats_.last_inference_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  (ok ? stats_.success : stats_.fail).add(now - open.started);
}

void LlmRunner::fail_all(const Status& status) {
  std::vector<uint64_t> ids;
  for (const auto& [id, open] : open_) ids.push_back(id);
  for (uint64_t id : ids) {
    series_.failed->inc();
    deliver(id, {StreamEvent::Type::kError, {}, 0, {}, {}, status, {}, {}}, true);
  }
  series_.running->set(0);
  series_.waiting->set(0);
  series_.kv_usage->set(0);
}

asio::awaitable<void> LlmRunner::read_loop(std::shared_ptr<LlmRunner> self) {
  runtime::WorkerProcess* process = process_.get();
  for (;;) {
    auto message = co_await process->receive();
    if (!message.ok()) break;
    const auto& h = message->header;
    uint64_t id = message->request_id;
    StreamEvent e;
    switch (static_cast<MessageKind>(message->kind)) {
      case MessageKind::kAccepted:
        e.type = StreamEvent::Type::kAccepted;
        e.tokens = h.value("prompt_tokens", int64_t{0});
        series_.prompt_tokens->inc(static_cast<double>(e.tokens));
        deliver(id, std::move(e), false);
        break;
      case MessageKind::kTokens:
        e.type = StreamEvent::Type::kText;
        e.text = h.value("text", "");
        e.tokens = h.value("tokens", int64_t{0});
        if (auto logprobs = h.find("logprobs"); logprobs != h.end()) {
          auto parsed = token_logprobs_from_json(*logprobs);
          if (parsed.ok()) e.logprobs = std::move(*parsed);
        }
        if (auto calls = h.find("tool_calls"); calls != h.end()) {
          auto parsed = tool_call_deltas_from_json(*calls);
          if (parsed.ok()) e.tool_calls = std::move(*parsed);
        }
        series_.generated_tokens->inc(static_cast<double>(e.tokens));
        deliver(id, std::move(e), false);
        break;
      case MessageKind::kDone:
        e.type = StreamEvent::Type::kDone;
        e.completion = completion_from_json(h);
        series_.cached_prompt_tokens->inc(static_cast<double>(e.completion.cached_tokens));
        (e.completion.finish_reason == "length" ? series_.finished_length : series_.finished_stop)->inc();
        deliver(id, std::move(e), true);
        break;
      case MessageKind::kEmbeddings:
        e.type = StreamEvent::Type::kEmbeddings;
        e.embeddings = h.value("data", nlohmann::json::array());
        e.tokens = h.value("prompt_tokens", int64_t{0});
        series_.prompt_tokens->inc(static_cast<double>(e.tokens));
        deliver(id, std::move(e), true);
        break;
      case MessageKind::kStreamError:
        e.type = StreamEvent::Type::kError;
        e.status = wire::status_from_json(h);
        series_.failed->inc();
        deliver(id, std::move(e), true);
        break;
      case MessageKind::kStats: {
        EngineStats s = engine_stats_from_json(h);
        series_.running->set(static_cast<double>(s.running));
        series_.waiting->set(static_cast<double>(s.waiting));
        series_.kv_usage->set(s.kv_total_cells > 0 ? static_cast<double>(s.kv_used_cells) / static_cast<double>(s.kv_total_cells) : 0);
        // The worker counts since it started.
        series_.preemptions->inc(static_cast<double>(std::max<int64_t>(0, s.preemptions - preemptions_seen_)));
        preemptions_seen_ = s.preemptions;
        break;
      }
      default:
        spdlog::warn("model {}:{}: the LLM worker sent an unknown message kind {}", model_, version_,
                     static_cast<uint32_t>(message->kind));
    }
  }
  if (process != process_.get() || stopping_) co_return;
  {
    std::lock_guard lock(mu_);
    pid_ = 0;
  }
  std::string how = co_await process_->reap();
  fail_all(unavailable("the worker of model " + model_ + " failed (" + how + "); it is being restarted"));
  auto restarter = restart(std::move(self), how);
  asio::co_spawn(strand_, std::move(restarter), asio::detached);
}

asio::awaitable<void> LlmRunner::restart(std::shared_ptr<LlmRunner> /*self*/, std::string how) {
  supervisor::RestartHooks hooks;
  hooks.stopped = [this] { return stopping_; };
  hooks.waiting = [this, &how](uint64_t attempt, std::chrono::milliseconds backoff) {
    series_.worker_restarts->inc();
    preemptions_seen_ = 0;  // the new worker counts from 0
    {
      std::lock_guard lock(mu_);
      stats_.worker_restarts++;
    }
    // The same state, log line and event as a tensor version's worker (model_runner.cc).
    set_state(ModelState::kUnavailable, "worker 0 " + how + "; restarting in " + std::to_string(backoff.count()) + " ms");
    spdlog::warn("model {}:{} worker 0 {}; restart {} in {} ms", model_, version_, how, attempt, backoff.count());
    events_.emit({model_, version_, "worker_crashed", "",
                  "worker 0 " + how + "; restart " + std::to_string(attempt) + " in " + std::to_string(backoff.count()) +
                      " ms"});
  };
  hooks.start = [this, &how]() -> asio::awaitable<Status> {
    Status s = co_await start_worker();
    if (!s.ok()) how = s.message();
    co_return s;
  };
  const supervisor::RestartPolicy policy;  // a named local: GCC 12 mishandles temporaries inside co_await
  Status restarted = co_await supervisor::restart(strand_, policy, &restarts_, std::move(hooks));
  if (!restarted.ok()) {
    if (process_) process_->kill();
    co_return;
  }
  events_.emit({model_, version_, "worker_restarted", "", "worker 0 restarted"});
  set_state(ModelState::kReady, "");
}

asio::awaitable<Result<std::shared_ptr<runtime::ServedModel>>> LlmRunnerFactory::start(
    const runtime::LoadSpec& spec, const runtime::BackendInfo& backend) {
  auto config = parse_llm_config(spec.config);
  if (!config.ok()) co_return config.status();
  runtime::WorkerOptions worker = runtime::worker_options(spec, backend, config->threads);
  worker.memory_limit_bytes = config->memory_limit_bytes;
  worker.extra_args = {
      "--max-sequences",   std::to_string(config->max_sequences),  "--context",     std::to_string(config->context),
      "--batch-tokens",    std::to_string(config->batch_tokens),   "--max-waiting", std::to_string(config->max_waiting),
      "--prefill-tokens",  std::to_string(config->prefill_tokens), "--kv-cells",    std::to_string(config->kv_cells),
      "--max-preemptions", std::to_string(config->max_preemptions)};
  if (config->deterministic) worker.extra_args.push_back("--deterministic");
  if (!config->prefix_cache) worker.extra_args.push_back("--no-prefix-cache");
  auto runner = std::make_shared<LlmRunner>(io_, supervisor_, spec.model, spec.version, backend, worker, *config,
                                            metrics_, events_);
  Status started = co_await runner->start();
  if (!started.ok()) {
    runner->stop();
    co_return started;
  }
  co_return std::shared_ptr<runtime::ServedModel>(runner);
}

}  // namespace maas::llm
