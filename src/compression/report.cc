#include "compression/report.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace maas::compression {

nlohmann::json size_report(uint64_t before, uint64_t after) {
  return {{"before", before},
          {"after", after},
          {"ratio", before ? static_cast<double>(after) / static_cast<double>(before) : 0.0}};
}

Result<double> median_seconds(int runs, const std::function<Status()>& work) {
  std::vector<double> seconds;
  for (int i = 0; i < std::max(1, runs); ++i) {
    const auto start = std::chrono::steady_clock::now();
    MAAS_RETURN_IF_ERROR(work());
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  const auto middle = seconds.begin() + static_cast<std::ptrdiff_t>(seconds.size() / 2);
  std::nth_element(seconds.begin(), middle, seconds.end());
  return *middle;
}

}  // namespace maas::compression
