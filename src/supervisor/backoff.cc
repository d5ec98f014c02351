#include "supervisor/backoff.h"

#include <algorithm>

namespace maas::supervisor {

std::chrono::milliseconds Backoff::delay(uint64_t failures) const {
  if (failures == 0) return std::chrono::milliseconds(0);
  int64_t delay = initial_.count();
  // Doubling stops as soon as it reaches the cap, so no shift can overflow however many failures there were.
  for (uint64_t i = 1; i < failures && delay < max_.count(); ++i) delay *= 2;
  return std::chrono::milliseconds(std::min(delay, max_.count()));
}

}  // namespace maas::supervisor
