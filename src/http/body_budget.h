// The server-wide budget for request bodies buffered in memory (limits.max_buffered_body_bytes): a request whose
// body would take the sum over the budget is refused (503 + Retry-After) before its body is read, so that many
// clients each holding a large unfinished body cannot take maasd's memory. Streamed bodies (artifact uploads,
// written to disk as they arrive) are not counted.
//
// Thread-safe: one atomic counter shared by every event loop, touched only by requests that carry a body.
#pragma once

#include <atomic>
#include <cstdint>

namespace maas::http {

class BodyBudget {
 public:
  // capacity 0: no budget (bytes are still counted, for the gauge).
  explicit BodyBudget(uint64_t capacity) : capacity_(capacity) {}
  BodyBudget(const BodyBudget&) = delete;
  BodyBudget& operator=(const BodyBudget&) = delete;

  // Takes `bytes` if they fit; false (taking nothing) if they would go over the capacity.
  bool try_take(uint64_t bytes);
  void give_back(uint64_t bytes);
  uint64_t in_use() const { return in_use_.load(std::memory_order_relaxed); }
  uint64_t capacity() const { return capacity_; }

 private:
  const uint64_t capacity_;
  std::atomic<uint64_t> in_use_{0};
};

// The share of the budget one request holds: grown to its Content-Length before the body is read, or chunk by
// chunk for a chunked body; everything is given back when the reservation is destroyed (the request ended).
// Owned by one connection's loop.
class BodyReservation {
 public:
  explicit BodyReservation(BodyBudget& budget) : budget_(budget) {}
  ~BodyReservation() { budget_.give_back(held_); }
  BodyReservation(const BodyReservation&) = delete;
  BodyReservation& operator=(const BodyReservation&) = delete;

  // Holds `total` bytes in all (never shrinks); false, holding what it held, when the budget cannot give more.
  bool grow_to(uint64_t total);
  uint64_t held() const { return held_; }

 private:
  BodyBudget& budget_;
  uint64_t held_ = 0;
};

}  // namespace maas::http
