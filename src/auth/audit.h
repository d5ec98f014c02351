// The audit log: every management action (a request that changes something under /api/v1 or /v2/repository,
// allowed or refused) with the key that made it. Requests are observed on I/O threads, queued (bounded) and
// written to the store in batches by one background thread, so a slow disk never delays an answer.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "http/request.h"
#include "store/gateway_store.h"

namespace maas::auth {

class AuditLog {
 public:
  explicit AuditLog(store::GatewayStore& store, size_t max_queued = 10'000);
  ~AuditLog();  // writes what is queued, then stops

  // Records `req` if it is a management action. Never blocks; counts what it must drop when the queue is full.
  void observe(const http::Request& req, int status);
  // Waits until everything observed so far is in the store (tests and shutdown).
  void flush();
  uint64_t dropped() const;

  static bool is_management_action(const http::Request& req);

 private:
  void run();

  store::GatewayStore& store_;
  const size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable written_;
  std::deque<store::AuditRecord> queue_;
  uint64_t observed_ = 0;
  uint64_t done_ = 0;
  uint64_t dropped_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace maas::auth
