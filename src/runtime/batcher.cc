#include "runtime/batcher.h"

#include <algorithm>

namespace maas::runtime {

BatchChoice choose_batch(const RequestQueue& queue, int instance, const DeploymentConfig& config, bool batching,
                         size_t max_requests, std::chrono::steady_clock::time_point now) {
  BatchChoice choice;
  RequestQueue::Item head;
  for (const auto& [priority, fifo] : queue.levels()) {
    for (const auto& p : fifo) {
      if (p->avoid_instance != instance) {
        head = p;
        break;
      }
    }
    if (head) break;
  }
  if (!head) return choice;
  choice.requests.push_back(head);
  if (batching) {
    int64_t rows = head->rows;
    bool more_waiting = false;
    for (const auto& [priority, fifo] : queue.levels()) {
      for (const auto& p : fifo) {
        if (p == head || p->key != head->key || p->avoid_instance == instance) continue;
        if (choice.requests.size() >= max_requests || rows + p->rows > config.max_batch_size) {
          more_waiting = true;
          continue;
        }
        choice.requests.push_back(p);
        rows += p->rows;
      }
    }
    const auto& preferred = config.preferred_batch_sizes;
    bool full = rows >= config.max_batch_size || more_waiting ||
                std::find(preferred.begin(), preferred.end(), rows) != preferred.end();
    auto ready_at = head->enqueued + std::chrono::microseconds(config.max_queue_delay_us);
    if (!full && now < ready_at) {
      choice.kind = BatchChoice::Kind::kWait;
      choice.ready_at = ready_at;
      choice.requests.clear();
      return choice;
    }
  }
  choice.kind = BatchChoice::Kind::kBatch;
  return choice;
}

}  // namespace maas::runtime
