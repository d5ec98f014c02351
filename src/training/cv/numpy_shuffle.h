// numpy's legacy RandomState(seed): MT19937 seeded by init_genrand, integers drawn by masked rejection
// (random_interval). Its shuffle of a 1-D array (a Fisher-Yates walk) makes shuffled folds equal scikit-learn's for
// the same random_state; its randint(0, n) draws train.compare's bootstrap resamples, which numpy can repeat.
//
// Thread-safety: a value type; one thread at a time per object.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace maas::training::cv {

class NumpyRandomState {
 public:
  explicit NumpyRandomState(uint32_t seed) : engine_(seed) {}

  // In place, as RandomState.shuffle(values) for a 1-D ndarray.
  template <typename T>
  void shuffle(std::vector<T>& values) {
    for (size_t i = values.size(); i > 1; --i) {
      const size_t j = random_interval(i - 1);
      std::swap(values[i - 1], values[j]);
    }
  }

  // numpy's random_interval: a uniform integer in [0, max] by rejection under the smallest covering bit mask. For
  // max < 2^32 it is also what RandomState.randint(0, max + 1) draws.
  uint64_t random_interval(uint64_t max);

 private:
  std::mt19937 engine_;
};

}  // namespace maas::training::cv
