// Daily and monthly request quotas per API key (UTC calendar periods). Counts live in memory and are written to
// the gateway store in the background every `flush_interval` and at shutdown, so they survive restarts (a kill -9
// can lose at most the last interval's counts). The first use of a key in a period reads its count from the store.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "http/request.h"
#include "store/gateway_store.h"

namespace maas::gateway {

class QuotaTracker {
 public:
  explicit QuotaTracker(store::GatewayStore& store,
                        std::chrono::milliseconds flush_interval = std::chrono::milliseconds(500));
  ~QuotaTracker();  // writes what is pending

  // Counts one request of `who` if its quotas allow it; RESOURCE_EXHAUSTED (naming the quota and when it
  // resets) otherwise. Keys without quotas cost nothing.
  Status admit(const http::Principal& who);
  // Adds LLM tokens to the key's monthly token count (checked by the next admit()).
  void add_tokens(const http::Principal& who, int64_t tokens);
  void flush();

  static std::string day_period(int64_t unix_ms);    // "day:2026-11-26"
  static std::string month_period(int64_t unix_ms);  // "month:2026-11"

 private:
  struct Count {
    int64_t requests = 0;
    int64_t tokens = 0;
  };
  Count& count_locked(const std::string& key_id, const std::string& period);
  void run();

  store::GatewayStore& store_;
  std::chrono::milliseconds flush_interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::map<std::pair<std::string, std::string>, Count> counts_;   // what the store has plus what is pending
  std::map<std::pair<std::string, std::string>, Count> pending_;  // not yet written
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace maas::gateway
