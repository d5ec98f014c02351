// The shuffle of numpy's legacy RandomState(seed).shuffle on a 1-D array: MT19937 seeded by init_genrand and a
// Fisher-Yates walk drawing with numpy's masked rejection (random_interval), so that a shuffled fold assignment
// equals scikit-learn's for the same random_state.
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
      const size_t j = interval(i - 1);
      std::swap(values[i - 1], values[j]);
    }
  }

 private:
  // numpy's random_interval: a uniform integer in [0, max] by rejection under the smallest covering bit mask.
  uint64_t interval(uint64_t max);

  std::mt19937 engine_;
};

}  // namespace maas::training::cv
