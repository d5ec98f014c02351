#include "runtime/model_runner.h"

#include <algorithm>
#include <cstring>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

#include "runtime/batcher.h"
#include "runtime/batching.h"
#include "supervisor/restart.h"

namespace maas::runtime {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

ModelRunner::ModelRunner(asio::io_context& io, supervisor::Supervisor& supervisor, std::string model, int64_t version,
                         BackendInfo backend, WorkerOptions worker, DeploymentConfig config, RuntimeMetrics& metrics)
    : io_(io),
      strand_(asio::make_strand(io)),
      supervisor_(supervisor),
      model_(std::move(model)),
      version_(version),
      backend_(std::move(backend)),
      worker_(std::move(worker)),
      config_(std::move(config)),
      metrics_(metrics),
      version_label_(std::to_string(version)),
      stats_(metrics, model_, version_label_),
      instances_(config_.circuit_breaker.max_ejection_percent),
      queue_(static_cast<size_t>(config_.max_queue_size)),
      retry_budget_(config_.circuit_breaker.retry_budget_percent, config_.circuit_breaker.min_retries),
      delay_timer_(strand_) {}

ModelRunner::~ModelRunner() {
  for (int i = 0; i < max_index_; ++i) stats_.drop_instance(i);
}

void ModelRunner::set_state(ModelState state, std::string reason) {
  std::lock_guard lock(mu_);
  if (state_ != state || reason_ != reason) {
    spdlog::info("model {}:{} is {}{}{}", model_, version_, model_state_name(state), reason.empty() ? "" : ": ", reason);
    metrics_.emit({model_, version_, "state", std::string(model_state_name(state)), reason});
  }
  state_ = state;
  reason_ = std::move(reason);
  snapshot_instances_locked();
}

void ModelRunner::snapshot_instances_locked() { instance_info_ = instances_.snapshot(); }

void ModelRunner::on_circuit_transition(Instance& instance, CircuitState to) {
  stats_.circuit_transition(instance.index, to);
  spdlog::warn("model {}:{} instance {}: circuit {}", model_, version_, instance.index, circuit_state_name(to));
  {
    std::lock_guard lock(mu_);
    snapshot_instances_locked();
  }
  if (to == CircuitState::kOpen && instance.breaker_timer) {
    // Wake up when the ejection ends so the breaker half-opens (and says so in the metrics) without traffic.
    instance.breaker_timer->expires_at(instance.breaker->open_until());
    instance.breaker_timer->async_wait([self = shared_from_this(), &instance](const boost::system::error_code& ec) {
      if (ec || self->stopping_) return;
      instance.breaker->state(Clock::now());
      self->dispatch();
    });
  }
}

bool ModelRunner::retry(const Pending& p, const Instance& failed) {
  auto now = Clock::now();
  if (stopping_ || p->attempts > 0 || p->abandoned || now >= p->deadline) return false;
  if (!instances_.any_usable(now, failed.index) || !retry_budget_.try_retry(now)) return false;
  p->attempts++;
  p->avoid_instance = failed.index;
  queue_.push_front(p);  // it has waited already: first of its priority
  stats_.retried();
  return true;
}

ModelState ModelRunner::state() const {
  std::lock_guard lock(mu_);
  return state_;
}
std::string ModelRunner::reason() const {
  std::lock_guard lock(mu_);
  return reason_;
}
ModelSignature ModelRunner::signature() const { return *shared_signature(); }
std::shared_ptr<const ModelSignature> ModelRunner::shared_signature() const {
  std::lock_guard lock(mu_);
  return signature_;
}
ModelStats ModelRunner::stats() const { return stats_.snapshot(); }
uint64_t ModelRunner::resident_bytes() const {
  std::vector<int> pids;
  {
    std::lock_guard lock(mu_);
    for (const auto& i : instance_info_) {
      if (i.alive && i.pid > 0) pids.push_back(i.pid);
    }
  }
  uint64_t total = 0;
  for (int pid : pids) total += process_rss_bytes(pid);
  return total;
}

std::vector<InstanceInfo> ModelRunner::instances() const {
  std::lock_guard lock(mu_);
  auto out = instance_info_;
  for (auto& i : out) {
    if (i.alive && i.pid > 0) {
      // These change all the time; read them now rather than at the last state change.
      i.rss_bytes = process_rss_bytes(i.pid);
      i.cpu_seconds = process_cpu_seconds(i.pid);
    }
  }
  return out;
}

int ModelRunner::cpu_slots_in_use() const {
  std::lock_guard lock(mu_);
  auto alive = std::count_if(instance_info_.begin(), instance_info_.end(), [](const auto& i) { return i.alive; });
  return static_cast<int>(alive) * std::max(1, config_.threads);
}

asio::awaitable<Status> ModelRunner::start_instance(std::shared_ptr<Instance> instance) {
  instance->ready = false;
  instance->starting = true;
  struct Started {
    Instance& i;
    ~Started() { i.starting = false; }
  } started{*instance};
  WorkerOptions options = worker_;
  options.name = model_ + ":" + version_label_ + "#" + std::to_string(instance->index);
  auto process = WorkerProcess::spawn(strand_, supervisor_, options);
  if (!process.ok()) co_return process.status();
  instance->process = std::move(*process);
  auto signature = co_await instance->process->wait_ready(std::chrono::milliseconds(config_.load_timeout_ms));
  if (!signature.ok()) co_return signature.status();
  {
    std::lock_guard lock(mu_);
    signature_ = std::make_shared<const ModelSignature>(*signature);
  }
  if (config_.warmup) {
    // The worker makes the zero-filled input itself, under its memory limit: maasd allocates nothing for it.
    Status warm = co_await instance->process->warm_up(std::chrono::milliseconds(config_.execution_timeout_ms));
    if (!warm.ok()) {
      instance->process->kill();
      co_return Status(warm.code(), "warm-up request failed: " + warm.message());
    }
  }
  instance->ready = true;
  co_return Status();
}

asio::awaitable<Status> ModelRunner::start() {
  co_await asio::post(strand_, asio::use_awaitable);
  set_state(ModelState::kLoading, "starting " + std::to_string(config_.instances) + " worker(s)");
  desired_ = config_.instances;
  for (int i = 0; i < config_.instances; ++i) {
    auto instance = make_instance(i);
    instances_.add(instance);
    Status s = co_await start_instance(instance);
    if (!s.ok()) {
      for (auto& inst : instances_.all()) {
        if (inst->process) inst->process->kill();
      }
      set_state(ModelState::kFailed, s.message());
      co_return s;
    }
  }
  set_state(ModelState::kReady, "");
  dispatch();
  co_return Status();
}

std::shared_ptr<ModelRunner::Instance> ModelRunner::make_instance(int index) {
  auto instance = std::make_shared<Instance>();
  instance->index = index;
  max_index_ = std::max(max_index_, index + 1);
  instance->circuit_gauge = stats_.circuit_gauge(index);
  instance->circuit_gauge->set(0);
  instance->breaker_timer = std::make_unique<asio::steady_timer>(strand_);
  Instance* raw = instance.get();  // the breaker lives inside the instance
  instance->breaker = std::make_unique<CircuitBreaker>(
      config_.circuit_breaker, [this, raw](CircuitState, CircuitState to) { on_circuit_transition(*raw, to); });
  return instance;
}

void ModelRunner::stop(bool drain) {
  asio::post(strand_, [self = shared_from_this(), drain] {
    if (self->stopping_) return;
    if (drain && !self->idle()) {
      // Refuse newcomers, finish what is queued and running (each request within its deadline), then halt.
      self->draining_ = true;
      self->set_state(ModelState::kUnloading, "unloading: finishing the queued requests");
      return;
    }
    self->halt();
  });
}

bool ModelRunner::idle() const { return queue_.empty() && !instances_.any_busy(); }

void ModelRunner::halt() {
  stopping_ = true;
  set_state(ModelState::kUnloading, "unloading");
  fail_queue(unavailable("model " + model_ + " version " + version_label_ + " is being unloaded"));
  delay_timer_.cancel();
  for (auto& inst : instances_.all()) {
    if (inst->breaker_timer) inst->breaker_timer->cancel();
    if (inst->process && !inst->busy) inst->process->kill();
  }
}

void ModelRunner::kill_now() {
  stopping_ = true;
  for (auto& inst : instances_.all()) {
    if (inst->process) inst->process->kill();  // reaped when the process object goes
  }
}

void ModelRunner::complete(const Pending& p, Result<std::vector<Tensor>> result, const RequestTiming* ran) {
  if (p->complete(std::move(result), ran)) in_flight_.add(-1, Clock::now());
}

void ModelRunner::fail_queue(const Status& status) {
  for (auto& p : queue_.take_all()) complete(p, status);
  publish_queue_depth();
}

void ModelRunner::publish_queue_depth() {
  stats_.queue_depth(queue_.size());
  queue_level_.set(static_cast<int64_t>(queue_.size()), Clock::now());
}

asio::awaitable<Result<std::vector<Tensor>>> ModelRunner::infer(ExecuteRequest request, int priority,
                                                                Clock::time_point deadline, RequestTiming* timing) {
  auto caller = co_await asio::this_coro::executor;
  auto p = std::make_shared<QueuedRequest>(caller);
  {
    ModelState s = state();
    if (s != ModelState::kReady) {
      co_return unavailable("model " + model_ + " version " + version_label_ + " is " +
                            std::string(model_state_name(s)) + (reason().empty() ? "" : ": " + reason()));
    }
  }
  if (batching()) {
    auto rows = batch_rows(request);
    if (!rows.ok()) co_return rows.status();
    // A request larger than max_batch_size is not refused (as Triton would): it simply runs as a batch of its own.
    p->rows = *rows;
  }
  p->key = batch_key(request);
  p->request = std::move(request);
  p->priority = priority;
  p->enqueued = Clock::now();
  last_used_.store(p->enqueued.time_since_epoch().count(), std::memory_order_relaxed);
  p->deadline = std::min(deadline, p->enqueued + std::chrono::milliseconds(config_.default_timeout_ms));
  asio::post(strand_, [self = shared_from_this(), p] { self->enqueue(p); });
  p->waiter.expires_at(p->deadline);
  if (!p->done) {
    boost::system::error_code ec;
    co_await p->waiter.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  std::lock_guard lock(p->mu);
  if (p->result) {
    if (timing) *timing = p->timing;
    co_return std::move(*p->result);
  }
  p->abandoned = true;
  stats_.timed_out();
  co_return deadline_exceeded("model " + model_ + " version " + version_label_ + " did not answer before the deadline");
}

void ModelRunner::enqueue(Pending p) {
  in_flight_.add(1, Clock::now());  // until complete(), whichever way it is answered
  if (stopping_ || draining_) return complete(p, unavailable("model " + model_ + " is being unloaded"));
  if (desired_ == 0) activate();
  // A replica on its way (a cold start, a scale-up): the request waits for it in the queue, within its deadline.
  bool starting = instances_.any_starting();
  if (!instances_.any_alive() && !starting) {
    return complete(p, unavailable("model " + model_ + " version " + version_label_ + " has no running worker: " + reason()));
  }
  auto now = Clock::now();
  retry_budget_.record_request(now);
  if (!instances_.any_usable(now) && !starting) {
    // Every replica that is up is ejected: fail fast rather than queue behind breakers that are open.
    stats_.rejected();
    return complete(p, unavailable("circuit open: every instance of model " + model_ + " version " + version_label_ +
                                   " is ejected after repeated failures; retry shortly"));
  }
  Pending shed;
  if (queue_.push(p, &shed) == RequestQueue::Admission::kFull) {
    stats_.rejected();
    return complete(p, Status(StatusCode::kResourceExhausted,
                              "the queue of model " + model_ + " version " + version_label_ + " is full (" +
                                  std::to_string(config_.max_queue_size) + " requests); retry shortly"));
  }
  if (shed) {
    stats_.shed();
    complete(shed, Status(StatusCode::kResourceExhausted,
                          "shed from the full queue of model " + model_ + " version " + version_label_ +
                              " for a request of higher priority; retry shortly"));
  }
  publish_queue_depth();
  dispatch();
}

void ModelRunner::dispatch() {
  if (stopping_) return;
  auto now = Clock::now();
  // Requests whose callers gave up (a caller gives up at its request's deadline) neither run nor count against
  // the queue.
  for (auto& p : queue_.take_expired(now)) complete(p, deadline_exceeded("the request expired in the queue"));
  if (draining_ && idle()) return halt();  // the last queued request answered: the unload completes
  bool batching = this->batching();
  for (auto& instance : instances_.all()) {
    if (instance->busy || !instance->serving() || instances_.ejected(*instance, now)) continue;
    bool probing = instance->breaker->state(now) == CircuitState::kHalfOpen;
    // A half-open replica gets at most half_open_probes requests until one batch tells how it is.
    size_t max_requests = probing ? static_cast<size_t>(config_.circuit_breaker.half_open_probes) : SIZE_MAX;
    BatchChoice choice = choose_batch(queue_, instance->index, config_, batching, max_requests, now);
    if (choice.kind == BatchChoice::Kind::kNone) continue;  // only retries that must go elsewhere
    if (choice.kind == BatchChoice::Kind::kWait) {
      if (!delay_armed_) {
        delay_armed_ = true;
        delay_timer_.expires_at(choice.ready_at);
        delay_timer_.async_wait([self = shared_from_this()](const boost::system::error_code&) {
          self->delay_armed_ = false;
          self->dispatch();
        });
      }
      break;
    }
    if (probing && !instance->breaker->try_acquire(now)) continue;  // a probe is already out
    queue_.remove(choice.requests);
    instance->busy = true;
    asio::co_spawn(strand_, run_batch(shared_from_this(), instance, std::move(choice.requests)), asio::detached);
  }
  publish_queue_depth();
}

asio::awaitable<void> ModelRunner::run_batch(std::shared_ptr<ModelRunner> /*self*/, std::shared_ptr<Instance> instance,
                                             std::vector<Pending> batch) {
  RunnerStats::BatchTiming timing;
  timing.started = Clock::now();
  std::vector<const ExecuteRequest*> requests;
  std::vector<int64_t> rows;
  for (const auto& p : batch) {
    requests.push_back(&p->request);
    rows.push_back(p->rows);
    timing.rows += p->rows;
  }
  ExecuteRequest joined = concat_requests(requests, timing.rows);
  timing.input_done = Clock::now();
  auto latest = Clock::time_point::min();
  for (const auto& p : batch) latest = std::max(latest, p->deadline);
  const auto execution_timeout = std::chrono::milliseconds(config_.execution_timeout_ms);
  auto result = co_await instance->process->execute(joined, execution_timeout, latest);
  timing.compute_done = Clock::now();
  // What says the replica is unwell: a crash or hang, INTERNAL or UNAVAILABLE from the backend. Not the client's
  // errors (INVALID_ARGUMENT) nor a deadline that passed: those say nothing about this replica.
  bool crashed_or_hung = !result.ok() && !instance->process->alive();
  bool replica_failed = crashed_or_hung || (!result.ok() && (result.status().code() == StatusCode::kInternal ||
                                                             result.status().code() == StatusCode::kUnavailable));
  if (replica_failed) {
    instance->breaker->record_failure(timing.compute_done);
  } else {
    instance->breaker->record_success(timing.compute_done);
  }
  // A hang is not retried: the request may be what hangs the worker, and it would take a second one down.
  bool hung = timing.compute_done - timing.input_done >= execution_timeout;
  std::vector<bool> retried(batch.size(), false);
  stats_.batch_ran(timing.compute_done - timing.input_done, timing.rows);
  // What each request's Server-Timing reports (its own enqueued and answered are stamped as it is answered).
  RequestTiming ran{{}, timing.started, timing.input_done, timing.compute_done, {}};

  if (result.ok()) {
    auto parts = split_outputs(*result, rows);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (parts.ok()) {
        complete(batch[i], std::move((*parts)[i]), &ran);
      } else {
        complete(batch[i], parts.status(), &ran);
      }
    }
  } else if (!instance->process->alive()) {
    Status crashed = unavailable("the worker of model " + model_ + " version " + version_label_ + " failed: " +
                                 result.status().message() + "; it is being restarted");
    // Counted before anyone is answered, so a client that saw the 503 also sees the restart in the statistics.
    stats_.worker_restarted();
    // Likewise the state: a client that saw the 503 and asks whether the version is ready must not hear "ready"
    // from before the crash (restart() refines the reason with its backoff). A retiring replica is not restarted:
    // its crash changes nothing (at 0 replicas the version stays READY for the next cold start).
    if (!instance->retiring && !instances_.any_alive()) {
      set_state(ModelState::kUnavailable, "worker " + std::to_string(instance->index) + " failed: " +
                                              result.status().message() + "; restarting");
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      retried[i] = !hung && retry(batch[i], *instance);
      if (!retried[i]) complete(batch[i], crashed);
    }
    // A retiring replica is not brought back: it was leaving anyway.
    if (!instance->retiring) asio::co_spawn(strand_, restart(shared_from_this(), instance), asio::detached);
  } else if (batch.size() > 1 && result.status().code() == StatusCode::kInvalidArgument) {
    // One bad request must not fail the others it was batched with: run them one by one.
    for (auto& p : batch) {
      RequestTiming alone{{}, Clock::now(), Clock::now(), {}, {}};
      auto single = co_await instance->process->execute(p->request, execution_timeout);
      alone.compute_done = Clock::now();
      complete(p, std::move(single), &alone);
    }
  } else {
    for (size_t i = 0; i < batch.size(); ++i) {
      retried[i] = replica_failed && result.status().code() == StatusCode::kUnavailable && retry(batch[i], *instance);
      if (!retried[i]) complete(batch[i], result.status(), &ran);
    }
  }
  if (instances_.any_alive() && !instances_.any_usable(Clock::now())) {
    fail_queue(unavailable("circuit open: every instance of model " + model_ + " version " + version_label_ +
                           " is ejected after repeated failures; retry shortly"));
  }

  timing.finished = Clock::now();
  std::vector<RunnerStats::Answered> answered;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (retried[i]) continue;  // answered later, by the instance that runs it again
    answered.push_back({batch[i]->enqueued, batch[i]->result && batch[i]->result->ok()});
  }
  stats_.batch_answered(timing, answered);
  instance->busy = false;
  if (stopping_ && instance->process) instance->process->kill();
  if (instance->retiring && !stopping_) remove_instance(instance);
  dispatch();
}

asio::awaitable<void> ModelRunner::restart(std::shared_ptr<ModelRunner> /*self*/, std::shared_ptr<Instance> instance) {
  std::string how = "not running";
  if (instance->process) {
    // Not inside a conditional expression: GCC 12 miscompiles co_await there (the string came back garbage).
    std::string ended = co_await instance->process->reap();
    how = std::move(ended);
  }
  bool first = true;
  supervisor::RestartHooks hooks;
  hooks.stopped = [this, &instance] { return stopping_ || instance->retiring; };
  hooks.waiting = [this, &instance, &how, &first](uint64_t attempt, std::chrono::milliseconds backoff) {
    if (!first) stats_.worker_restarted();  // the first attempt was counted when the crash was seen
    first = false;
    if (!instances_.any_alive()) {
      set_state(ModelState::kUnavailable, "worker " + std::to_string(instance->index) + " " + how + "; restarting in " +
                                              std::to_string(backoff.count()) + " ms");
      fail_queue(unavailable("model " + model_ + " version " + version_label_ + " has no running worker (" + how + ")"));
    }
    spdlog::warn("model {}:{} worker {} {}; restart {} in {} ms", model_, version_, instance->index, how, attempt,
                 backoff.count());
    metrics_.emit({model_, version_, "worker_crashed", "",
                   "worker " + std::to_string(instance->index) + " " + how + "; restart " + std::to_string(attempt) +
                       " in " + std::to_string(backoff.count()) + " ms"});
  };
  hooks.start = [this, &instance, &how]() -> asio::awaitable<Status> {
    Status s = co_await start_instance(instance);
    if (!s.ok()) how = s.message();
    co_return s;
  };
  const supervisor::RestartPolicy policy;  // a named local: GCC 12 mishandles temporaries inside co_await
  Status restarted = co_await supervisor::restart(strand_, policy, &instance->restarts, std::move(hooks));
  if (!restarted.ok()) {
    // Unloaded (or scaled down) meanwhile: what it started must not outlive its place.
    if (instance->process) instance->process->kill();
    co_return;
  }
  metrics_.emit({model_, version_, "worker_restarted", "", "worker " + std::to_string(instance->index) + " restarted"});
  set_state(ModelState::kReady, "");
  dispatch();
}

}  // namespace maas::runtime
