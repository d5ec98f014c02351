// A loaded version's bounded priority queue and its load shedding: requests wait here until the batcher takes them
// (batcher.h). When the queue is full, a newcomer of higher priority (lower number) than the lowest queued one
// takes the place of the newest request of that lowest priority, which is shed; anyone else is refused. Requests
// whose callers gave up or whose deadline passed are swept out once the earliest deadline has passed, so that a
// deep queue costs nothing per arrival.
//
// Threading: not thread-safe; a ModelRunner uses its queue on its strand only. What the queue hands back (shed,
// expired, taken) is the caller's to answer (QueuedRequest::complete).
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "runtime/backend.h"

namespace maas::runtime {

// One inference request from infer() to its answer: what the queue and the batcher read (priority, deadline,
// rows, batch key, the replica a retry must avoid) and where its answer goes.
// Threading: the answer is written once, on the runner's strand (complete()); the caller reads it on its own
// executor once woken there.
struct QueuedRequest : std::enable_shared_from_this<QueuedRequest> {
  using Clock = std::chrono::steady_clock;
  explicit QueuedRequest(boost::asio::any_io_executor caller) : waiter(std::move(caller)) {}

  // Stores the answer (the first one only) and wakes the caller; false when it was answered already.
  bool complete(Result<std::vector<Tensor>> answer);

  ExecuteRequest request;
  int64_t rows = 1;
  std::string key;  // batch_key(): requests with equal keys may share a batch
  int priority = 0;  // lower runs first and is shed last
  Clock::time_point enqueued;
  Clock::time_point deadline;
  int attempts = 0;         // retries so far (at most one)
  int avoid_instance = -1;  // the replica that failed it: a retry goes elsewhere
  std::mutex mu;            // guards result
  std::optional<Result<std::vector<Tensor>>> result;
  boost::asio::steady_timer waiter;  // the caller sleeps on it until completion or its deadline
  bool done = false;                 // caller's executor only
  std::atomic<bool> abandoned{false};  // the caller stopped waiting (its deadline passed)
};

class RequestQueue {
 public:
  using Clock = std::chrono::steady_clock;
  using Item = std::shared_ptr<QueuedRequest>;
  // priority -> requests in arrival order; the batcher reads them in this order.
  using Levels = std::map<int, std::deque<Item>>;

  explicit RequestQueue(size_t max_size) : max_size_(max_size) {}

  enum class Admission { kQueued, kFull };
  // Queues `request`. When the queue is full it sheds the newest request of the lowest priority queued if
  // `request` outranks it (into *shed, to be answered by the caller), else refuses `request` (kFull).
  Admission push(Item request, Item* shed);
  // A retry: first of its priority, since it has waited already. Never refused.
  void push_front(Item request);
  // Takes out what expired: requests whose caller gave up or whose deadline is not after `now`. Scans only once
  // the earliest deadline has passed.
  std::vector<Item> take_expired(Clock::time_point now);
  // Takes out requests the batcher chose (each must be queued).
  void remove(const std::vector<Item>& taken);
  // Takes out everything (a failure of the whole version, an unload).
  std::vector<Item> take_all();

  const Levels& levels() const { return levels_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t max_size() const { return max_size_; }

 private:
  size_t max_size_;
  Levels levels_;
  size_t size_ = 0;
  // No queued request expires before this (a lower bound: requests taken out may have set it).
  Clock::time_point next_expiry_ = Clock::time_point::max();
};

}  // namespace maas::runtime
