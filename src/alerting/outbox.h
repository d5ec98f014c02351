// Outgoing notifications — webhook and Alertmanager POSTs, e-mails — in one bounded queue with one sender thread
// that delivers them over transport.h and retries a failed delivery with exponential backoff a bounded number of
// times. The alerting engine and the log center's subscriptions each own one; results are counted in the owner's
// counter family as {owner, integration, result}: success, failure (an attempt failed), abandoned (no attempts
// left, or the owner is gone), dropped (the queue was full).
//
// Thread-safety: push() from any thread. The destructor stops the sender; what is still queued is not delivered.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "alerting/config.h"
#include "common/outbound_policy.h"
#include "metrics/metrics.h"

namespace maas::alerting {

struct OutgoingMessage {
  std::string owner;        // the receiver or subscription it is for (a metric label, and for `still_wanted`)
  std::string integration;  // webhook | email | alertmanager
  std::string url;          // POSTed as JSON, unless integration is email
  EmailConfig email;        // integration email
  std::string subject, body;
};

struct OutboxOptions {
  size_t max_queued = 256;
  int max_attempts = 4;                        // the first try and three retries
  std::chrono::milliseconds first_retry{500};  // doubled after each failure
  std::chrono::milliseconds timeout{5000};     // each delivery step
  // Where deliveries may go (outbound.*), judged on the addresses each host resolves to; null: anywhere. A
  // refused delivery is abandoned at once: retrying cannot change the answer.
  std::shared_ptr<const OutboundPolicy> outbound;
};

class Outbox {
 public:
  // `results`: a counter family labelled {owner, integration, result}. `still_wanted`: asked before a retry is
  // queued (false abandons it: a subscription removed meanwhile); unset, every retry is wanted.
  Outbox(OutboxOptions options, metrics::Family<metrics::Counter>& results,
         std::function<bool(const std::string& owner)> still_wanted = {});
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  void push(OutgoingMessage message);

 private:
  struct Queued {
    OutgoingMessage message;
    int attempts = 0;
    int64_t not_before_ms = 0;
  };
  void sender_loop();
  void deliver(Queued q);

  const OutboxOptions options_;
  metrics::Family<metrics::Counter>& results_;
  std::function<bool(const std::string&)> still_wanted_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::deque<Queued> queue_;
  std::thread sender_;
};

}  // namespace maas::alerting
