#include "logs/log_center.h"

#include <map>

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "logs/query.h"

namespace maas::logs {

void TailSubscription::offer(const LabelSet& labels, int64_t ts, const std::string& line) {
  std::lock_guard lock(mu_);
  if (pending_.size() >= max_pending_) {
    pending_.pop_front();
    ++dropped_;
  }
  pending_.push_back({labels, ts, line});
}

std::vector<TailSubscription::Item> TailSubscription::take(uint64_t* dropped) {
  std::lock_guard lock(mu_);
  std::vector<Item> out(std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.end()));
  pending_.clear();
  *dropped = dropped_;
  dropped_ = 0;
  return out;
}

Result<std::unique_ptr<LogCenter>> LogCenter::open(LogCenterOptions options) {
  if (options.loki) {
    auto remote = std::make_unique<LokiStore>(*options.loki);
    LokiStore* raw = remote.get();
    return std::unique_ptr<LogCenter>(new LogCenter(std::move(options), std::move(remote), raw));
  }
  MAAS_ASSIGN_OR_RETURN(auto store, SegmentStore::open(options.store));
  return std::unique_ptr<LogCenter>(new LogCenter(std::move(options), std::move(store), nullptr));
}

LogCenter::LogCenter(LogCenterOptions options, std::unique_ptr<LogStore> store, LokiStore* remote)
    : options_(std::move(options)),
      store_(std::move(store)),
      remote_(remote),
      writer_([this] { writer_loop(); }),
      retention_([this] { retention_loop(); }) {}

LogCenter::~LogCenter() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  writer_.join();
  retention_.join();
}

void LogCenter::retention_loop() {
  std::unique_lock lock(queue_mu_);
  while (!queue_cv_.wait_for(lock, options_.retention_interval, [this] { return stopping_; })) {
    lock.unlock();
    if (auto r = enforce_retention(); !r.ok()) spdlog::error("log retention failed: {}", r.status().message());
    lock.lock();
  }
}

void LogCenter::emit(const LabelSet& labels, int64_t ts_ns, std::string line) {
  std::lock_guard lock(queue_mu_);
  if (queue_.size() >= options_.queue_records) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  queue_.emplace_back(labels, Entry{ts_ns, std::move(line)});
}

void LogCenter::writer_loop() {
  std::unique_lock lock(queue_mu_);
  for (;;) {
    queue_cv_.wait_for(lock, options_.flush_interval, [this] { return stopping_; });
    std::vector<std::pair<LabelSet, Entry>> taken;
    taken.swap(queue_);
    bool stop = stopping_;
    lock.unlock();
    if (!taken.empty()) {
      std::map<LabelSet, StreamBatch> by_stream;
      for (auto& [labels, entry] : taken) {
        auto& batch = by_stream[labels];
        if (batch.entries.empty()) batch.labels = labels;
        batch.entries.push_back(std::move(entry));
      }
      std::vector<StreamBatch> batches;
      for (auto& [labels, batch] : by_stream) batches.push_back(std::move(batch));
      if (auto s = store_->append(batches); !s.ok()) {
        write_errors_.fetch_add(1, std::memory_order_relaxed);
        spdlog::error("the log center could not write {} records: {}", taken.size(), s.message());
      } else {
        emitted_.fetch_add(taken.size(), std::memory_order_relaxed);
        publish(batches);
      }
    }
    lock.lock();
    if (stop && queue_.empty()) return;
  }
}

Status LogCenter::append(const std::vector<StreamBatch>& batches) {
  MAAS_RETURN_IF_ERROR(store_->append(batches));
  uint64_t n = 0;
  for (const auto& b : batches) n += b.entries.size();
  pushed_.fetch_add(n, std::memory_order_relaxed);
  publish(batches);
  return {};
}

void LogCenter::publish(const std::vector<StreamBatch>& batches) {
  std::vector<std::shared_ptr<TailSubscription>> live;
  {
    std::lock_guard lock(tails_mu_);
    for (auto it = tails_.begin(); it != tails_.end();) {
      if (auto s = it->lock()) {
        live.push_back(std::move(s));
        ++it;
      } else {
        it = tails_.erase(it);
      }
    }
  }
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& tail : live) {
    LinePipeline pipeline(tail->query());
    for (const auto& b : batches) {
      if (!tail->query().matches_stream(b.labels)) continue;
      for (const auto& e : b.entries) {
        if (pipeline.keep(e.line, b.labels, &fields)) tail->offer(b.labels, e.ts_ns, e.line);
      }
    }
  }
}

std::shared_ptr<TailSubscription> LogCenter::subscribe(Query query, size_t max_pending) {
  auto sub = std::make_shared<TailSubscription>(std::move(query), max_pending);
  std::lock_guard lock(tails_mu_);
  tails_.push_back(sub);
  return sub;
}

LogCenterCounters LogCenter::counters() {
  uint64_t tails = 0;
  {
    std::lock_guard lock(tails_mu_);
    for (const auto& t : tails_) tails += t.expired() ? 0 : 1;
  }
  return {emitted_.load(), dropped_.load(), pushed_.load(), write_errors_.load(), tails};
}

Result<RetentionReport> LogCenter::enforce_retention() {
  auto report = store_->enforce_retention(now_unix_ms() * 1'000'000);
  if (report.ok() && (report->archived_segments > 0 || report->deleted_segments > 0)) {
    spdlog::info("log retention archived {} and deleted {} segments", report->archived_segments,
                 report->deleted_segments);
  }
  return report;
}

}  // namespace maas::logs
