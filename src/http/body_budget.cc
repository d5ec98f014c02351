#include "http/body_budget.h"

namespace maas::http {

bool BodyBudget::try_take(uint64_t bytes) {
  uint64_t current = in_use_.load(std::memory_order_relaxed);
  for (;;) {
    if (capacity_ != 0 && (bytes > capacity_ || current > capacity_ - bytes)) return false;
    if (in_use_.compare_exchange_weak(current, current + bytes, std::memory_order_relaxed)) return true;
  }
}

void BodyBudget::give_back(uint64_t bytes) { in_use_.fetch_sub(bytes, std::memory_order_relaxed); }

bool BodyReservation::grow_to(uint64_t total) {
  if (total <= held_) return true;
  if (!budget_.try_take(total - held_)) return false;
  held_ = total;
  return true;
}

}  // namespace maas::http
