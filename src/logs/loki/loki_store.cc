#include "logs/loki/loki_store.h"

#include <map>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace maas::logs {
namespace {

using json = nlohmann::json;

// Loki's JSON push body: {"streams": [{"stream": {labels}, "values": [["<ns>", "<line>"], ...]}]}.
std::string push_body(std::vector<std::pair<LabelSet, Entry>>& entries) {
  std::map<LabelSet, json> by_stream;
  for (auto& [labels, entry] : entries) {
    auto [it, inserted] = by_stream.try_emplace(labels, json::array());
    it->second.push_back({std::to_string(entry.ts_ns), std::move(entry.line)});
  }
  json streams = json::array();
  for (auto& [labels, values] : by_stream) {
    json stream = json::object();
    for (const auto& [k, v] : labels.pairs()) stream[k] = v;
    streams.push_back({{"stream", std::move(stream)}, {"values", std::move(values)}});
  }
  return json{{"streams", std::move(streams)}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

LokiStore::LokiStore(LokiOptions options) : options_(std::move(options)), pusher_([this] { push_loop(); }) {}

LokiStore::~LokiStore() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  pusher_.join();
}

Status LokiStore::append(const std::vector<StreamBatch>& batches) {
  size_t n = 0;
  for (const auto& b : batches) n += b.entries.size();
  {
    std::lock_guard lock(mu_);
    if (buffer_.size() + n > options_.buffer_entries) {
      refused_.fetch_add(n, std::memory_order_relaxed);
      return resource_exhausted("the buffer for the remote Loki at " + options_.url + " is full (" +
                                std::to_string(options_.buffer_entries) + " records); it is slow or down");
    }
    for (const auto& b : batches) {
      for (const auto& e : b.entries) buffer_.emplace_back(b.labels, e);
    }
  }
  if (n >= options_.batch_entries) cv_.notify_all();
  return {};
}

HttpHeaders LokiStore::headers(const std::string& content_type) const {
  HttpHeaders h;
  if (!content_type.empty()) h.emplace_back("Content-Type", content_type);
  if (!options_.tenant.empty()) h.emplace_back("X-Scope-OrgID", options_.tenant);
  if (!options_.bearer_token.empty()) h.emplace_back("Authorization", "Bearer " + options_.bearer_token);
  return h;
}

bool LokiStore::push(const std::string& body, bool last_try) {
  const std::string url = options_.url + "/loki/api/v1/push";
  for (int attempt = 1;; ++attempt) {
    auto res = http_request("POST", url, headers("application/json"), body, options_.timeout, 1 << 20);
    if (res.ok() && res->status / 100 == 2) return true;
    push_errors_.fetch_add(1, std::memory_order_relaxed);
    std::string why = res.ok() ? "answered " + std::to_string(res->status) + ": " + res->body.substr(0, 200)
                               : res.status().message();
    if (last_try || attempt >= options_.max_attempts) {
      spdlog::warn("pushing to the remote Loki failed {} times, dropping a batch: {}", attempt, why);
      return false;
    }
    std::unique_lock lock(mu_);
    // A stop cuts the backoff short: the destructor makes one last attempt instead.
    if (cv_.wait_for(lock, options_.first_retry * (1 << (attempt - 1)), [this] { return stop_; })) return false;
  }
}

void LokiStore::push_loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait_for(lock, options_.flush_interval, [this] { return stop_ || buffer_.size() >= options_.batch_entries; });
    while (!buffer_.empty()) {
      bool stopping = stop_;
      size_t n = std::min(buffer_.size(), options_.batch_entries);
      std::vector<std::pair<LabelSet, Entry>> batch(std::make_move_iterator(buffer_.begin()),
                                                    std::make_move_iterator(buffer_.begin() + static_cast<std::ptrdiff_t>(n)));
      buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(n));
      lock.unlock();
      bool ok = push(push_body(batch), stopping);
      (ok ? pushed_ : failed_).fetch_add(n, std::memory_order_relaxed);
      lock.lock();
      if (!ok && stopping) {
        failed_.fetch_add(buffer_.size(), std::memory_order_relaxed);
        buffer_.clear();
      }
      if (buffer_.size() < options_.batch_entries && !stop_) break;  // wait for a full batch or the interval
    }
    if (stop_ && buffer_.empty()) return;
  }
}

Status LokiStore::scan(const ScanRequest&, BlockVisitor&) {
  return failed_precondition("the log store is the remote Loki at " + options_.url +
                             " (logs.store: loki); query it through /loki/api/v1, which forwards");
}

std::vector<LabelSet> LokiStore::streams(int64_t, int64_t, bool) { return {}; }

LogStoreStats LokiStore::stats() { return {}; }

Result<RetentionReport> LokiStore::enforce_retention(int64_t) { return RetentionReport{}; }

Result<HttpResponse> LokiStore::forward(const std::string& method, const std::string& target, const std::string& body,
                                        const std::string& content_type) {
  auto res = http_request(method, options_.url + target, headers(content_type), body, options_.query_timeout);
  if (!res.ok()) return unavailable("the remote Loki at " + options_.url + ": " + res.status().message());
  return res;
}

LokiCounters LokiStore::counters() const {
  std::lock_guard lock(mu_);
  return {pushed_.load(), failed_.load(), refused_.load(), push_errors_.load(), buffer_.size()};
}

}  // namespace maas::logs
