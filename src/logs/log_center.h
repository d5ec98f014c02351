// The log center: the store, the asynchronous queue for maas's own records (requests, events), live tails, and
// the retention loop. maasd owns one; the API pushes into it and queries it.
//
// Thread-safety: every method may be called from any thread. emit() never blocks (the I/O threads call it);
// append() and the store's calls block on disk and belong on a blocking pool.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "logs/logql.h"
#include "logs/loki/loki_store.h"
#include "logs/segment/segment_store.h"

namespace maas::logs {

struct LogCenterOptions {
  SegmentStoreOptions store;
  std::optional<LokiOptions> loki;  // when set, records go to this remote Loki instead of the embedded store
  size_t queue_records = 65'536;            // maas's own records waiting for the writer; more are dropped
  std::chrono::milliseconds flush_interval{200};
  std::chrono::milliseconds retention_interval{60'000};
};

// One live tail: entries that match its query, appended after it subscribed. Bounded: when the reader falls
// behind, the oldest are dropped and counted.
class TailSubscription {
 public:
  struct Item {
    LabelSet labels;
    int64_t ts_ns;
    std::string line;
  };
  TailSubscription(Query query, size_t max_pending) : query_(std::move(query)), max_pending_(max_pending) {}
  // Takes what arrived since the last call; `dropped` receives how many were lost meanwhile.
  std::vector<Item> take(uint64_t* dropped);
  const LogQuery& query() const { return query_.log; }
  void offer(const LabelSet& labels, int64_t ts, const std::string& line);

 private:
  Query query_;
  size_t max_pending_;
  std::mutex mu_;
  std::deque<Item> pending_;
  uint64_t dropped_ = 0;
};

struct LogCenterCounters {
  uint64_t emitted = 0;   // maas's own records written
  uint64_t dropped = 0;   // maas's own records dropped because the queue was full
  uint64_t pushed = 0;    // entries appended through append() (the push API)
  uint64_t write_errors = 0;
  uint64_t tails = 0;     // live tails open now
};

class LogCenter {
 public:
  static Result<std::unique_ptr<LogCenter>> open(LogCenterOptions options);
  ~LogCenter();  // writes what is queued, then stops

  void emit(const LabelSet& labels, int64_t ts_ns, std::string line);
  Status append(const std::vector<StreamBatch>& batches);
  LogStore& store() { return *store_; }
  // The remote Loki when it is the store (queries are forwarded to it), else null.
  LokiStore* remote() { return remote_; }
  std::shared_ptr<TailSubscription> subscribe(Query query, size_t max_pending = 10'000);
  LogCenterCounters counters();
  // Runs retention now (also done every retention_interval).
  Result<RetentionReport> enforce_retention();

 private:
  LogCenter(LogCenterOptions options, std::unique_ptr<LogStore> store, LokiStore* remote);
  void writer_loop();
  void retention_loop();
  void publish(const std::vector<StreamBatch>& batches);

  LogCenterOptions options_;
  std::unique_ptr<LogStore> store_;
  LokiStore* remote_;  // store_, when it is a LokiStore
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<std::pair<LabelSet, Entry>> queue_;
  bool stopping_ = false;
  std::mutex tails_mu_;
  std::list<std::weak_ptr<TailSubscription>> tails_;
  std::atomic<uint64_t> emitted_{0}, dropped_{0}, pushed_{0}, write_errors_{0};
  std::thread writer_;
  std::thread retention_;  // archiving a segment takes seconds: never in the writer's way
};

}  // namespace maas::logs
