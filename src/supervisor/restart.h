// Bringing a supervised process back after it died, by the one RestartPolicy: wait the backoff of the attempt,
// start it again, until it starts or its owner no longer wants it. Model workers of every kind (tensor and
// generative) restart through this loop, so a kill -9 of either is answered the same way; what a start is, and what
// the owner tells its clients meanwhile, are the owner's (the hooks).
//
// Threading: run it on the owner's strand; the hooks are called there. The hooks must outlive the coroutine
// (they are moved into its frame).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/status.h"
#include "supervisor/backoff.h"

namespace maas::supervisor {

struct RestartHooks {
  // True once the owner no longer wants the process (unloaded, scaled down): asked before each wait, after it
  // and after each start.
  std::function<bool()> stopped;
  // Before each wait: the attempt's number over the process's life (1 for the first restart ever) and its delay.
  std::function<void(uint64_t attempt, std::chrono::milliseconds delay)> waiting;
  // One start; its error is what the next attempt's `waiting` follows.
  std::function<boost::asio::awaitable<Status>()> start;
};

// OK once a start succeeded. UNAVAILABLE when the owner stopped wanting it (what a start made in the meantime is
// the owner's to end) or when `policy` allows no further attempt (the last start's error). `*attempts` counts
// the attempts over the process's life, so the n-th restart waits policy.backoff.delay(n) however many times it
// came back in between.
boost::asio::awaitable<Status> restart(boost::asio::any_io_executor executor, const RestartPolicy& policy,
                                       uint64_t* attempts, RestartHooks hooks);

}  // namespace maas::supervisor
