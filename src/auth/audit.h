// The audit log: every management action (a request that changes something under /api/v1 or /v2/repository,
// allowed or refused) with the key that made it. Requests are observed on I/O threads, queued (bounded) and
// written to the store in batches by one background thread, so a slow disk never delays an answer. The same
// thread enforces retention (age and row count).
//
// What anyone can send is bounded: refused requests without a key are counted by route and status, and recorded
// at most `anonymous_per_second` a second (a token bucket); every stored text field is cut to `max_field_bytes`.
//
// Thread-safety: observe() from any thread; never blocks on the store.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "http/request.h"
#include "metrics/metrics.h"
#include "store/gateway_store.h"

namespace maas::auth {

struct AuditOptions {
  size_t max_queued = 10'000;
  double anonymous_per_second = 1;  // refused requests without a key recorded at most (burst: the same, at least 1)
  size_t max_field_bytes = 512;     // longer path, actor, method or request id: cut, with a marker
  int64_t retention_ms = 90LL * 24 * 3'600'000;  // 0: no age limit
  int64_t max_rows = 1'000'000;                  // 0: no row limit
  std::chrono::milliseconds retention_interval{60'000};
};

// `text` cut to at most `max_bytes` (never inside a UTF-8 sequence), ending "…[+N bytes]" when it was cut.
std::string cap_field(std::string text, size_t max_bytes);

class AuditLog {
 public:
  AuditLog(store::GatewayStore& store, metrics::Registry& metrics, AuditOptions options = {});
  ~AuditLog();  // writes what is queued, then stops

  // Records `req` if it is a management action. Never blocks; counts what it must drop when the queue is full.
  void observe(const http::Request& req, int status);
  // Waits until everything observed so far is in the store (tests and shutdown).
  void flush();
  // Runs retention now (also done every retention_interval); returns the records deleted.
  Result<int64_t> enforce_retention();
  uint64_t dropped() const;

  static bool is_management_action(const http::Request& req);

 private:
  bool take_anonymous_token();  // holds mu_
  void run();

  store::GatewayStore& store_;
  const AuditOptions options_;
  metrics::Family<metrics::Counter>& anonymous_refusals_;  // {route, code}
  metrics::Family<metrics::Counter>& unrecorded_;          // {reason}: sampled | queue_full
  metrics::Counter& deleted_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable written_;
  std::deque<store::AuditRecord> queue_;
  uint64_t observed_ = 0;
  uint64_t done_ = 0;
  uint64_t dropped_ = 0;
  double anonymous_tokens_;
  std::chrono::steady_clock::time_point anonymous_refilled_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace maas::auth
