// Where one inference request's time went inside a loaded version: in the queue, joining its batch and splitting
// its outputs out, and in the worker (what the Server-Timing header of its answer reports, docs/INFERENCE.md).
//
// Threading: a plain value. QueuedRequest's copy is written on the runner's strand before the request is answered
// and read by its caller after it is woken (the answer's mutex orders the two).
#pragma once

#include <chrono>

namespace maas::runtime {

struct RequestTiming {
  using Clock = std::chrono::steady_clock;
  Clock::time_point enqueued;      // infer() queued it
  Clock::time_point started;       // a replica took its batch from the queue
  Clock::time_point input_done;    // the batch's inputs were joined into one request
  Clock::time_point compute_done;  // the worker answered the batch
  Clock::time_point answered;      // its own outputs were split out and it was answered

  // False when it never reached a worker (refused, expired in the queue): the parts below are then zero.
  bool ran() const { return started != Clock::time_point{} && compute_done != Clock::time_point{}; }
  Clock::duration queue() const { return ran() ? started - enqueued : Clock::duration::zero(); }
  Clock::duration batch() const {
    return ran() ? (input_done - started) + (answered - compute_done) : Clock::duration::zero();
  }
  Clock::duration compute() const { return ran() ? compute_done - input_done : Clock::duration::zero(); }
};

}  // namespace maas::runtime
