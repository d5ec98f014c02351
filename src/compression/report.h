// The parts of a compression job's report that every method fills the same way: the sizes before and after, and
// a latency measured by running the same work on the source and on the result.
//
// Thread-safety: pure functions (median_seconds runs `work` on the calling thread).
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::compression {

// {before, after, ratio: after / before}.
nlohmann::json size_report(uint64_t before, uint64_t after);

// The median wall time of `runs` runs of `work`, in seconds; the first error ends the measurement.
Result<double> median_seconds(int runs, const std::function<Status()>& work);

}  // namespace maas::compression
