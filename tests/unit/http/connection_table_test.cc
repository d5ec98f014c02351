#include "http/connection_table.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

namespace maas::http {
namespace {

using Clock = SessionHandle::Clock;

class ConnectionTableTest : public ::testing::Test {
 protected:
  std::shared_ptr<SessionHandle> connection(const std::string& address, Clock::time_point accepted_at) {
    return std::make_shared<SessionHandle>(io_.get_executor(), address, accepted_at);
  }
  // A connection accepted at `accepted_at` and let in (nothing evicted).
  std::shared_ptr<SessionHandle> admitted(ConnectionTable& table, const std::string& address,
                                          Clock::time_point accepted_at) {
    auto c = connection(address, accepted_at);
    std::shared_ptr<SessionHandle> evicted;
    EXPECT_EQ(table.admit(c, &evicted), ConnectionTable::Verdict::kAdmitted);
    EXPECT_EQ(evicted, nullptr);
    return c;
  }
  boost::asio::io_context io_;
  Clock::time_point t0_ = Clock::now();
};

TEST_F(ConnectionTableTest, LimitsConnectionsPerAddress) {
  ConnectionTable table(100, 2);
  std::shared_ptr<SessionHandle> evicted;
  auto a1 = connection("10.0.0.1", t0_);
  auto a2 = connection("10.0.0.1", t0_);
  EXPECT_EQ(table.admit(a1, &evicted), ConnectionTable::Verdict::kAdmitted);
  EXPECT_EQ(table.admit(a2, &evicted), ConnectionTable::Verdict::kAdmitted);
  EXPECT_EQ(table.admit(connection("10.0.0.1", t0_), &evicted), ConnectionTable::Verdict::kTooManyFromAddress);
  EXPECT_EQ(table.admit(connection("10.0.0.2", t0_), &evicted), ConnectionTable::Verdict::kAdmitted);
  table.remove(a1);
  EXPECT_EQ(table.admit(connection("10.0.0.1", t0_), &evicted), ConnectionTable::Verdict::kAdmitted);
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(evicted, nullptr);
}

TEST_F(ConnectionTableTest, ZeroMeansNoPerAddressLimit) {
  ConnectionTable table(100, 0);
  std::shared_ptr<SessionHandle> evicted;
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(table.admit(connection("10.0.0.1", t0_), &evicted), ConnectionTable::Verdict::kAdmitted);
  }
}

TEST_F(ConnectionTableTest, AtTheLimitTheOldestIdleConnectionMakesRoom) {
  ConnectionTable table(3, 0);
  auto busy = admitted(table, "a", t0_);  // the oldest, but serving a request
  auto older = admitted(table, "b", t0_ + std::chrono::seconds(1));
  admitted(table, "c", t0_ + std::chrono::seconds(2));
  ASSERT_TRUE(busy->mark_busy());
  std::shared_ptr<SessionHandle> evicted;
  EXPECT_EQ(table.admit(connection("d", t0_ + std::chrono::seconds(3)), &evicted),
            ConnectionTable::Verdict::kAdmitted);
  EXPECT_EQ(evicted, older);
  // The evicted connection may not start a request, nor wait for one.
  EXPECT_FALSE(older->mark_busy());
  EXPECT_FALSE(older->idle_since().has_value());
}

TEST_F(ConnectionTableTest, AConnectionIdleAgainAfterARequestIsNewerThanOneNeverUsed) {
  ConnectionTable table(2, 0);
  auto reused = admitted(table, "a", t0_ - std::chrono::seconds(2));
  auto silent = admitted(table, "b", t0_ - std::chrono::seconds(1));
  ASSERT_TRUE(reused->mark_busy());
  ASSERT_TRUE(reused->mark_idle());  // answered a request just now
  ASSERT_TRUE(silent->mark_idle());  // still idle since it was accepted
  EXPECT_EQ(silent->idle_since(), t0_ - std::chrono::seconds(1));
  std::shared_ptr<SessionHandle> evicted;
  table.admit(connection("c", Clock::now()), &evicted);
  EXPECT_EQ(evicted, silent);
}

TEST_F(ConnectionTableTest, FullWhenEveryConnectionIsBusy) {
  ConnectionTable table(2, 1);
  auto a = admitted(table, "a", t0_);
  auto b = admitted(table, "b", t0_);
  a->mark_busy();
  b->mark_busy();
  std::shared_ptr<SessionHandle> evicted;
  EXPECT_EQ(table.admit(connection("c", t0_), &evicted), ConnectionTable::Verdict::kFull);
  EXPECT_EQ(evicted, nullptr);
  // A refused address holds no count: once there is room, it gets in.
  table.remove(a);
  EXPECT_EQ(table.admit(connection("c", t0_), &evicted), ConnectionTable::Verdict::kAdmitted);
}

TEST_F(ConnectionTableTest, EvictAllIdleLeavesBusyConnections) {
  ConnectionTable table(10, 0);
  auto idle = admitted(table, "a", t0_);
  auto busy = admitted(table, "b", t0_);
  busy->mark_busy();
  auto closed = table.evict_all_idle();
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0], idle);
  EXPECT_TRUE(busy->mark_idle());
  EXPECT_FALSE(idle->mark_idle());
}

}  // namespace
}  // namespace maas::http
