// Dynamic batching (Triton's): which queued requests one idle replica runs next. The batch starts with the oldest
// request of the highest priority that may run there and takes compatible requests (same batch key) up to
// max_batch_size rows; it is cut at once when full, when it reaches a preferred size or when more compatible
// requests wait than fit, and otherwise once its oldest request has waited max_queue_delay_us.
//
// Threading: a pure function of the queue and the time; the runner calls it on its strand.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/deployment_config.h"
#include "runtime/request_queue.h"

namespace maas::runtime {

struct BatchChoice {
  enum class Kind {
    kNone,   // nothing queued may run on this replica (only retries that must go elsewhere)
    kWait,   // a batch is forming: come back at `ready_at` (or when more requests arrive)
    kBatch,  // run `requests` now
  } kind = Kind::kNone;
  std::vector<RequestQueue::Item> requests;
  std::chrono::steady_clock::time_point ready_at;
};

// The batch for replica `instance` at `now`. `batching` is false when the version does not batch
// (max_batch_size <= 1 or a signature that is not batchable): then the batch is the head request alone.
// `max_requests` bounds the requests in a batch (a half-open replica's probes).
BatchChoice choose_batch(const RequestQueue& queue, int instance, const DeploymentConfig& config, bool batching,
                         size_t max_requests, std::chrono::steady_clock::time_point now);

}  // namespace maas::runtime
