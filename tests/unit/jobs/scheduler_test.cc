#include "jobs/scheduler.h"

#include <gtest/gtest.h>

namespace maas::jobs {
namespace {

QueuedJob queued(std::string id, int priority, uint64_t order, int slots = 1, std::string owner = "k1",
                 int64_t not_before_ms = 0) {
  return {std::move(id), std::move(owner), priority, order, slots, not_before_ms};
}

using Ids = std::vector<std::string>;

TEST(Scheduler, AdmitsByPriorityThenAgeWhileSlotsLast) {
  Scheduler s({/*total*/ 4, /*reserved*/ 1, /*guaranteed*/ 0, /*per key*/ 0});
  auto admitted = s.admit({queued("old-low", 0, 1), queued("new-high", 5, 4), queued("old-high", 5, 2),
                           queued("mid", 1, 3)},
                          {}, 0, 1000);
  EXPECT_EQ(admitted, (Ids{"old-high", "new-high", "mid"})) << "3 of 4 slots: serving keeps its reserved one";
}

TEST(Scheduler, ServingKeepsItsReserveAndMoreWhileItUsesMore) {
  Scheduler s({4, 1, 0, 0});
  EXPECT_EQ(s.job_slots(0), 3);
  EXPECT_EQ(s.job_slots(1), 3);
  EXPECT_EQ(s.job_slots(3), 1);
  EXPECT_EQ(s.job_slots(9), 0);
  EXPECT_EQ(s.max_job_slots(), 3);
  EXPECT_EQ(s.admit({queued("a", 0, 1), queued("b", 0, 2)}, {}, 3, 0), (Ids{"a"}));
  EXPECT_TRUE(s.admit({queued("a", 0, 1)}, {}, 4, 0).empty());
}

TEST(Scheduler, GuaranteedSlotsOutlastLoadedWorkersButNeverTheReserve) {
  // Two cores, one reserved for serving, two single-threaded workers loaded: without a guarantee no job would
  // ever start; with one, a 1-slot job shares the cores with them.
  Scheduler none({2, 1, 0, 0});
  EXPECT_EQ(none.job_slots(2), 0);
  EXPECT_TRUE(none.admit({queued("a", 0, 1)}, {}, 2, 0).empty());
  Scheduler one({2, 1, 1, 0});
  EXPECT_EQ(one.job_slots(2), 1);
  EXPECT_EQ(one.job_slots(9), 1);
  EXPECT_EQ(one.admit({queued("a", 0, 1)}, {}, 9, 0), (Ids{"a"}));
  // The guarantee never reaches into serving's reserve, and idle serving still leaves jobs all the rest.
  Scheduler big({4, 1, 8, 0});
  EXPECT_EQ(big.job_slots(0), 3);
  EXPECT_EQ(big.job_slots(9), 3);
  Scheduler two({8, 2, 2, 0});
  EXPECT_EQ(two.job_slots(0), 6);
  EXPECT_EQ(two.job_slots(7), 2);
}

TEST(Scheduler, RunningJobsHoldTheirSlots) {
  Scheduler s({4, 1, 0, 0});
  EXPECT_EQ(s.admit({queued("a", 0, 1), queued("b", 0, 2)}, {{"k9", 2}}, 0, 0), (Ids{"a"}));
  EXPECT_TRUE(s.admit({queued("a", 0, 1)}, {{"k9", 3}}, 0, 0).empty());
}

TEST(Scheduler, ABigJobAtTheHeadIsNotOvertakenBySmallerOnes) {
  Scheduler s({4, 1, 0, 0});
  // Two slots free: the 3-slot job waits, and so does everything behind it.
  auto admitted = s.admit({queued("big", 5, 1, 3), queued("small", 0, 2, 1)}, {{"k9", 1}}, 0, 0);
  EXPECT_TRUE(admitted.empty());
  // Once the slots are there the big one goes first.
  EXPECT_EQ(s.admit({queued("big", 5, 1, 3), queued("small", 0, 2, 1)}, {}, 0, 0), (Ids{"big"}));
}

TEST(Scheduler, AKeyAtItsRunningQuotaIsPassedOverNotBlocking) {
  Scheduler s({8, 1, 0, /*per key*/ 2});
  auto admitted = s.admit({queued("a1", 9, 1, 1, "a"), queued("a2", 9, 2, 1, "a"), queued("a3", 9, 3, 1, "a"),
                           queued("b1", 0, 4, 1, "b")},
                          {}, 0, 0);
  EXPECT_EQ(admitted, (Ids{"a1", "a2", "b1"}));
  EXPECT_EQ(s.admit({queued("a3", 9, 3, 1, "a")}, {{"a", 1}, {"a", 1}}, 0, 0), Ids{});
}

TEST(Scheduler, ARetryWaitsForItsBackoffOnTheClock) {
  Scheduler s({4, 1, 0, 0});
  std::vector<QueuedJob> q = {queued("retry", 9, 1, 1, "k1", /*not before*/ 5000), queued("fresh", 0, 2)};
  EXPECT_EQ(s.admit(q, {}, 0, 4999), (Ids{"fresh"}));
  EXPECT_EQ(Scheduler::next_wakeup_ms(q, 4999), 5000);
  EXPECT_EQ(s.admit(q, {}, 0, 5000), (Ids{"retry", "fresh"}));
  EXPECT_EQ(Scheduler::next_wakeup_ms(q, 5000), 0);
}

}  // namespace
}  // namespace maas::jobs
