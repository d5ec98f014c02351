// Subscriptions at work: each one follows the log center like a live tail (a bounded queue of the new records
// that match it), and a dispatcher thread turns what arrived into one batched message per subscription at most
// every min_interval, handed to an Outbox (outbox.h: bounded, one sender thread, retries with backoff). Subscriptions are kept in one JSON file
// (<data_dir>/alerting/subscriptions.json, replaced atomically) and resume after a restart.
//
// Thread-safety: every public method may be called from any thread; create() and remove() write the file (fsync):
// call them off the I/O threads. Records that arrive while a subscription's queue is full are dropped and counted.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "alerting/outbox.h"
#include "alerting/subscription.h"
#include "logs/log_center.h"
#include "metrics/metrics.h"

namespace maas::alerting {

struct SubscriptionOptions {
  std::filesystem::path file;
  size_t max_subscriptions = 100;
  size_t max_pending_records = 1000;  // per subscription, between deliveries
  size_t max_batch_records = 100;     // per message; the rest go in the next one
  std::chrono::milliseconds tick{100};  // how often new records are gathered
  OutboxOptions delivery;               // messages waiting for the sender (all subscriptions together), retries
};

class Subscriptions {
 public:
  // Reads the file (absent: none) and starts following the log center. INVALID_ARGUMENT for a malformed file.
  static Result<std::unique_ptr<Subscriptions>> open(SubscriptionOptions options, logs::LogCenter& center,
                                                      metrics::Registry& metrics);
  ~Subscriptions();  // stops; what is queued is not delivered

  // Assigns the id and the creation time, stores it, starts it. RESOURCE_EXHAUSTED past max_subscriptions.
  Result<Subscription> create(Subscription s);
  std::vector<Subscription> list() const;
  Result<Subscription> get(const std::string& id) const;
  Status remove(const std::string& id);  // NOT_FOUND

 private:
  struct Live {
    Subscription sub;
    std::shared_ptr<logs::TailSubscription> tail;
    std::deque<logs::TailSubscription::Item> pending;
    uint64_t dropped = 0;  // since the last delivery
    int64_t next_send_ms = 0;
  };
  Subscriptions(SubscriptionOptions options, logs::LogCenter& center, metrics::Registry& metrics);
  Status save(const std::map<std::string, std::shared_ptr<Live>>& subs);  // holds write_mu_
  void start(const Subscription& s);                                    // holds mu_
  void dispatch_loop();
  void gather(Live& live, int64_t now_ms);  // holds mu_

  const SubscriptionOptions options_;
  logs::LogCenter& center_;
  metrics::Family<metrics::Counter>& deliveries_;
  metrics::Family<metrics::Counter>& dropped_records_;

  std::mutex write_mu_;  // serializes create/remove so the file and the map change together
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::map<std::string, std::shared_ptr<Live>> subs_;  // by id
  std::thread dispatcher_;
  // Last: destroyed first, so its sender (which asks subs_ under mu_ before a retry) stops before they go.
  std::unique_ptr<Outbox> outbox_;
};

}  // namespace maas::alerting
