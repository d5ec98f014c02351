// A log store backed by a remote Loki (or another maasd): appends are buffered (bounded) and pushed in batches to
// {url}/loki/api/v1/push by a background thread, with bounded retries; queries cannot be scans of a remote store,
// so the log center's query endpoints forward whole requests to the remote (forward()) instead of calling scan().
//
// Thread-safety: every method may be called from any thread. append() never waits for the network: it only
// buffers, and refuses (RESOURCE_EXHAUSTED) when the buffer is full. forward() blocks on the network.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "common/http_client.h"
#include "logs/log_store.h"

namespace maas::logs {

struct LokiOptions {
  std::string url;           // base URL, "http://host:3100", without a trailing '/'
  std::string tenant;        // X-Scope-OrgID, when set
  std::string bearer_token;  // Authorization: Bearer, when set
  size_t buffer_entries = 100'000;  // waiting to be pushed; appends past it are refused
  size_t batch_entries = 1000;      // per push
  std::chrono::milliseconds flush_interval{200};
  int max_attempts = 3;                         // per batch; then it is dropped and counted
  std::chrono::milliseconds first_retry{250};   // doubled after each failure
  std::chrono::milliseconds timeout{5000};      // each network step of a push
  std::chrono::milliseconds query_timeout{30'000};
};

struct LokiCounters {
  uint64_t pushed = 0;       // entries the remote accepted
  uint64_t failed = 0;       // entries dropped after every attempt failed
  uint64_t refused = 0;      // entries refused because the buffer was full
  uint64_t push_errors = 0;  // failed push attempts
  uint64_t buffered = 0;     // entries waiting now
};

class LokiStore final : public LogStore {
 public:
  explicit LokiStore(LokiOptions options);
  ~LokiStore() override;  // one last attempt at what is buffered, then stops

  // Buffers; OK does not mean the remote has it (that is the remote's durability).
  Status append(const std::vector<StreamBatch>& batches) override;
  // FAILED_PRECONDITION: a remote store is queried through forward().
  Status scan(const ScanRequest& request, BlockVisitor& visitor) override;
  std::vector<LabelSet> streams(int64_t start_ns, int64_t end_ns, bool include_archive) override;
  LogStoreStats stats() override;
  // Retention is the remote's business: nothing to do here.
  Result<RetentionReport> enforce_retention(int64_t now_ns) override;

  // Sends one query request (`target`: path and query string as received) to the remote; its answer as it is.
  Result<HttpResponse> forward(const std::string& method, const std::string& target, const std::string& body,
                               const std::string& content_type);
  LokiCounters counters() const;
  const std::string& url() const { return options_.url; }

 private:
  void push_loop();
  bool push(const std::string& body, bool last_try);  // with retries unless stopping
  HttpHeaders headers(const std::string& content_type) const;

  const LokiOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::deque<std::pair<LabelSet, Entry>> buffer_;
  std::atomic<uint64_t> pushed_{0}, failed_{0}, refused_{0}, push_errors_{0};
  std::thread pusher_;
};

}  // namespace maas::logs
