// supervisor::restart: the one restart loop of model workers — the n-th restart over a process's life waits the
// policy's n-th backoff, failed starts are retried, and an owner that stops wanting the process ends the loop.
#include "supervisor/restart.h"

#include <gtest/gtest.h>

#include <vector>

#include <boost/asio/io_context.hpp>

#include "run_sync.h"

namespace maas::supervisor {
namespace {
using std::chrono::milliseconds;

struct RestartTest : ::testing::Test {
  RestartHooks hooks(int failures_before_success) {
    RestartHooks h;
    h.stopped = [this] { return stop; };
    h.waiting = [this](uint64_t attempt, milliseconds delay) { waits.emplace_back(attempt, delay); };
    h.start = [this, failures_before_success]() -> boost::asio::awaitable<Status> {
      ++starts;
      co_return starts > failures_before_success ? Status() : unavailable("start " + std::to_string(starts) + " failed");
    };
    return h;
  }
  boost::asio::io_context io;
  RestartPolicy policy{Backoff(milliseconds(1), milliseconds(4)), 0};
  uint64_t attempts = 0;
  int starts = 0;
  bool stop = false;
  std::vector<std::pair<uint64_t, milliseconds>> waits;
};

TEST_F(RestartTest, FailedStartsAreRetriedWithTheBackoffOfEachAttempt) {
  Status s = run_sync(io, restart(io.get_executor(), policy, &attempts, hooks(2)));
  EXPECT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(starts, 3);
  EXPECT_EQ(attempts, 3u);
  std::vector<std::pair<uint64_t, milliseconds>> expected{{1, milliseconds(1)}, {2, milliseconds(2)}, {3, milliseconds(4)}};
  EXPECT_EQ(waits, expected);
}

TEST_F(RestartTest, TheNextCrashContinuesTheCountSoTheDelayKeepsGrowing) {
  ASSERT_TRUE(run_sync(io, restart(io.get_executor(), policy, &attempts, hooks(0))).ok());
  starts = 0;
  ASSERT_TRUE(run_sync(io, restart(io.get_executor(), policy, &attempts, hooks(0))).ok());
  std::vector<std::pair<uint64_t, milliseconds>> expected{{1, milliseconds(1)}, {2, milliseconds(2)}};
  EXPECT_EQ(waits, expected);
}

TEST_F(RestartTest, AnOwnerThatStopsWantingItEndsTheLoopWithoutAStart) {
  auto h = hooks(0);
  h.waiting = [this](uint64_t, milliseconds) { stop = true; };  // unloaded while it waits
  Status s = run_sync(io, restart(io.get_executor(), policy, &attempts, std::move(h)));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(starts, 0);
}

TEST_F(RestartTest, APolicyWithALimitGivesUpWithTheLastError) {
  policy.max_attempts = 2;
  Status s = run_sync(io, restart(io.get_executor(), policy, &attempts, hooks(5)));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "start 2 failed");
  EXPECT_EQ(starts, 2);
}

}  // namespace
}  // namespace maas::supervisor
