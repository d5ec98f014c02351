#include "training/cv/numpy_shuffle.h"

namespace maas::training::cv {

uint64_t NumpyRandomState::random_interval(uint64_t max) {
  if (max == 0) return 0;
  uint64_t mask = max;
  for (int shift : {1, 2, 4, 8, 16, 32}) mask |= mask >> shift;
  uint64_t value = 0;
  if (max <= 0xffffffffULL) {
    do {
      value = engine_() & mask;
    } while (value > max);
  } else {
    // numpy's next_uint64 for MT19937: two 32-bit draws, the first the high half.
    do {
      const uint64_t high = engine_();
      value = ((high << 32) | engine_()) & mask;
    } while (value > max);
  }
  return value;
}

}  // namespace maas::training::cv
