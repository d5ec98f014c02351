// ModelRunner's replicas: scaling up and down live (new replicas serve once warmed up, retired ones finish their
// batch), the cold start at 0 replicas, and the load signal the autoscaler reads.
#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

#include "runtime/model_runner.h"

namespace maas::runtime {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

void ModelRunner::scale_to(int replicas) {
  asio::post(strand_, [self = shared_from_this(), replicas] { self->resize(std::max(0, replicas)); });
}

void ModelRunner::resize(int replicas) {
  // Not while start() brings up the configured instances: it owns instances_ until READY.
  if (stopping_ || draining_ || state() == ModelState::kLoading) return;
  // Queued requests wait for a replica: scaling to zero under them would leave them to time out.
  if (replicas == 0 && !queue_.empty()) replicas = 1;
  if (replicas > desired_ && Clock::now() < scale_up_blocked_until_) return;
  if (replicas == desired_) return;
  int from = desired_;
  desired_ = replicas;
  int active = instances_.not_retiring();
  for (; active < replicas; ++active) {
    // The lowest free index, so the instance label of the metrics stays within max_replicas.
    auto instance = make_instance(instances_.lowest_free_index());
    instance->starting = true;  // from now: requests wait for it
    instances_.add(instance);
    auto task = grow(shared_from_this(), instance);
    asio::co_spawn(strand_, std::move(task), asio::detached);
  }
  for (; active > replicas; --active) retire_one();
  spdlog::info("model {}:{} scales from {} to {} replica(s)", model_, version_, from, replicas);
  if (replicas == 0) {
    set_state(ModelState::kReady, "scaled to zero; the next request starts a replica");
  } else {
    std::lock_guard lock(mu_);
    snapshot_instances_locked();
  }
}

void ModelRunner::retire_one() {
  auto victim = instances_.retire_candidate();
  if (!victim) return;
  victim->retiring = true;
  // A busy replica finishes its batch first (run_batch removes it then); one starting is killed, its start fails.
  if (!victim->busy) remove_instance(victim);
}

void ModelRunner::remove_instance(const std::shared_ptr<Instance>& instance) {
  if (instance->breaker_timer) instance->breaker_timer->cancel();
  if (instance->process) instance->process->kill();  // a start in progress fails at once
  instances_.remove(instance);
  // The index may be taken again by a later replica, which sets its own series.
  stats_.drop_instance(instance->index);
  std::lock_guard lock(mu_);
  snapshot_instances_locked();
}

asio::awaitable<void> ModelRunner::grow(std::shared_ptr<ModelRunner> /*self*/, std::shared_ptr<Instance> instance) {
  Status s = co_await start_instance(instance);
  if (stopping_ || instance->retiring) {
    // Unloaded or scaled down again while it started (remove_instance killed it, so the start failed at once).
    if (instance->process) instance->process->kill();
    co_return;
  }
  if (!s.ok()) {
    remove_instance(instance);
    desired_ = instances_.not_retiring();
    // Not at once again: a model that cannot start a replica now will not a moment later either.
    scale_up_blocked_until_ = Clock::now() + std::chrono::seconds(5);
    spdlog::warn("model {}:{}: a new replica failed to start: {}", model_, version_, s.message());
    metrics_.emit({model_, version_, "scale_up_failed", "", "a new replica failed to start: " + s.message()});
    if (!instances_.any_alive() && !instances_.any_starting()) {
      fail_queue(unavailable("model " + model_ + " version " + version_label_ + " could not start a replica: " + s.message()));
      if (desired_ == 0) set_state(ModelState::kReady, "scaled to zero; the last cold start failed: " + s.message());
    }
    co_return;
  }
  set_state(ModelState::kReady, "");  // clears "scaled to zero"; takes the snapshot
  dispatch();
}

void ModelRunner::activate() {
  spdlog::info("model {}:{}: a request arrived at 0 replicas: cold start", model_, version_);
  metrics_.emit({model_, version_, "cold_start", "", "a request arrived at 0 replicas: starting one"});
  resize(1);
}

asio::awaitable<LoadSample> ModelRunner::sample_load() {
  auto task = load_on_strand();
  co_return co_await asio::co_spawn(strand_, std::move(task), asio::use_awaitable);
}

asio::awaitable<LoadSample> ModelRunner::load_on_strand() {
  LoadSample s;
  s.at = Clock::now();
  s.desired_replicas = desired_;
  s.ready_replicas = instances_.serving();
  s.in_flight = in_flight_.level();
  s.queued = static_cast<int64_t>(queue_.size());
  s.concurrency_area = in_flight_.area_at(s.at);
  s.queue_area = queue_level_.area_at(s.at);
  co_return s;
}

}  // namespace maas::runtime
