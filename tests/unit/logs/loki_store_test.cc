#include "logs/loki/loki_store.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>

namespace maas::logs {
namespace {

// A URL nothing listens on: a port bound and closed again.
std::string dead_url() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
}

std::vector<StreamBatch> batch(size_t n) {
  StreamBatch b{*LabelSet::make({{"app", "x"}}), {}};
  for (size_t i = 0; i < n; ++i) b.entries.push_back({static_cast<int64_t>(i + 1), "line"});
  return {b};
}

TEST(LokiStore, RefusesPastItsBufferWithoutWaiting) {
  LokiOptions options;
  options.url = dead_url();
  options.buffer_entries = 3;
  options.flush_interval = std::chrono::hours(1);  // nothing leaves the buffer during the test
  options.batch_entries = 100;
  LokiStore store(options);
  EXPECT_TRUE(store.append(batch(3)).ok());
  EXPECT_EQ(store.append(batch(1)).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(store.counters().buffered, 3u);
  EXPECT_EQ(store.counters().refused, 1u);
}

TEST(LokiStore, IsQueriedByForwardingNotScanning) {
  LokiOptions options;
  options.url = dead_url();
  LokiStore store(options);
  struct Nothing : BlockVisitor {
    bool want(int64_t, int64_t, bool*) override { return true; }
    void entries(const LabelSet&, std::string_view) override {}
  } visitor;
  EXPECT_EQ(store.scan({}, visitor).code(), StatusCode::kFailedPrecondition);
  auto answer = store.forward("GET", "/loki/api/v1/labels", "", "");
  EXPECT_EQ(answer.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(answer.status().message().find(options.url), std::string::npos);
}

TEST(LokiStore, CountsWhatItCouldNotPushAndStopsPromptly) {
  LokiOptions options;
  options.url = dead_url();
  options.flush_interval = std::chrono::milliseconds(10);
  options.first_retry = std::chrono::milliseconds(1);
  auto store = std::make_unique<LokiStore>(options);
  ASSERT_TRUE(store->append(batch(5)).ok());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (store->counters().failed < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_EQ(store->counters().failed, 5u);
  EXPECT_EQ(store->counters().push_errors, static_cast<uint64_t>(options.max_attempts));
  ASSERT_TRUE(store->append(batch(2)).ok());
  auto started = std::chrono::steady_clock::now();
  store.reset();  // one last attempt for what is buffered, without retries
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

}  // namespace
}  // namespace maas::logs
