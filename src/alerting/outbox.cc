#include "alerting/outbox.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "alerting/transport.h"
#include "common/clock.h"

namespace maas::alerting {

Outbox::Outbox(OutboxOptions options, metrics::Family<metrics::Counter>& results,
               std::function<bool(const std::string&)> still_wanted)
    : options_(options), results_(results), still_wanted_(std::move(still_wanted)) {
  sender_ = std::thread([this] { sender_loop(); });
}

Outbox::~Outbox() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (sender_.joinable()) sender_.join();
}

void Outbox::push(OutgoingMessage message) {
  std::lock_guard lock(mu_);
  if (queue_.size() >= options_.max_queued) {
    results_.with({message.owner, message.integration, "dropped"}).inc();
    return;
  }
  queue_.push_back({std::move(message), 0, 0});
  cv_.notify_all();
}

void Outbox::sender_loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    int64_t now = now_unix_ms();
    auto due = std::find_if(queue_.begin(), queue_.end(), [now](const Queued& q) { return q.not_before_ms <= now; });
    if (due == queue_.end()) {
      int64_t earliest = INT64_MAX;
      for (const auto& q : queue_) earliest = std::min(earliest, q.not_before_ms);
      if (earliest == INT64_MAX) {
        cv_.wait(lock);
      } else {
        cv_.wait_for(lock, std::chrono::milliseconds(earliest - now));
      }
      continue;
    }
    Queued q = std::move(*due);
    queue_.erase(due);
    lock.unlock();
    deliver(std::move(q));
    lock.lock();
  }
}

void Outbox::deliver(Queued q) {
  const OutgoingMessage& m = q.message;
  const OutboundPolicy* outbound = options_.outbound.get();
  Status s = m.integration == "email"
                 ? send_mail(m.email.smarthost, m.email.from, m.email.to, m.subject, m.body, options_.timeout, outbound)
                 : post_json(m.url, m.body, options_.timeout, outbound);
  ++q.attempts;
  if (s.ok()) {
    results_.with({m.owner, m.integration, "success"}).inc();
    return;
  }
  results_.with({m.owner, m.integration, "failure"}).inc();
  // Asked without holding mu_: an owner calls push() under its own lock.
  bool wanted = q.attempts < options_.max_attempts && s.code() != StatusCode::kPermissionDenied &&
                (!still_wanted_ || still_wanted_(m.owner));
  std::lock_guard lock(mu_);
  if (!wanted || queue_.size() >= options_.max_queued) {
    results_.with({m.owner, m.integration, "abandoned"}).inc();
    spdlog::warn("{} ({}): gave up a delivery after {} attempt(s): {}", m.owner, m.integration, q.attempts, s.message());
    return;
  }
  q.not_before_ms = now_unix_ms() + options_.first_retry.count() * (int64_t{1} << (q.attempts - 1));
  queue_.push_back(std::move(q));
  cv_.notify_all();
}

}  // namespace maas::alerting
