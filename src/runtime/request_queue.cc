#include "runtime/request_queue.h"

#include <algorithm>

#include <boost/asio/post.hpp>

namespace maas::runtime {

bool QueuedRequest::complete(Result<std::vector<Tensor>> answer, const RequestTiming* ran) {
  {
    std::lock_guard lock(mu);
    if (result) return false;
    result = std::move(answer);
    if (ran) timing = *ran;
    timing.enqueued = enqueued;
    timing.answered = Clock::now();
  }
  boost::asio::post(waiter.get_executor(), [self = shared_from_this()] {
    self->done = true;
    self->waiter.cancel();
  });
  return true;
}

RequestQueue::Admission RequestQueue::push(Item request, Item* shed) {
  if (size_ >= max_size_) {
    // Shed the newest request of the lowest priority queued, if the newcomer outranks it (lower number first).
    auto lowest = std::find_if(levels_.rbegin(), levels_.rend(), [](const auto& level) { return !level.second.empty(); });
    if (lowest == levels_.rend() || lowest->first <= request->priority) return Admission::kFull;
    *shed = std::move(lowest->second.back());
    lowest->second.pop_back();
    --size_;
  }
  next_expiry_ = std::min(next_expiry_, request->deadline);
  levels_[request->priority].push_back(std::move(request));
  ++size_;
  return Admission::kQueued;
}

void RequestQueue::push_front(Item request) {
  next_expiry_ = std::min(next_expiry_, request->deadline);
  levels_[request->priority].push_front(std::move(request));
  ++size_;
}

std::vector<RequestQueue::Item> RequestQueue::take_expired(Clock::time_point now) {
  std::vector<Item> expired;
  if (now < next_expiry_) return expired;
  next_expiry_ = Clock::time_point::max();
  for (auto& [priority, fifo] : levels_) {
    for (auto it = fifo.begin(); it != fifo.end();) {
      if ((*it)->abandoned || (*it)->deadline <= now) {
        expired.push_back(std::move(*it));
        it = fifo.erase(it);
        --size_;
      } else {
        next_expiry_ = std::min(next_expiry_, (*it)->deadline);
        ++it;
      }
    }
  }
  return expired;
}

void RequestQueue::remove(const std::vector<Item>& taken) {
  for (const auto& request : taken) {
    auto& fifo = levels_[request->priority];
    fifo.erase(std::find(fifo.begin(), fifo.end(), request));
    --size_;
  }
}

std::vector<RequestQueue::Item> RequestQueue::take_all() {
  std::vector<Item> all;
  for (auto& [priority, fifo] : levels_) {
    for (auto& request : fifo) all.push_back(std::move(request));
    fifo.clear();
  }
  size_ = 0;
  return all;
}

}  // namespace maas::runtime
