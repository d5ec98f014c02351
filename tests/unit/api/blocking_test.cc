#include "api/blocking.h"

#include <gtest/gtest.h>

#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <string>
#include <vector>

namespace maas::api {
namespace {

// Work whose captures own memory, some of it inside the capture itself (a short string's buffer): destroying them
// must free what they allocated and nothing else (ASan and valgrind see a bytewise copy's bad free).
TEST(BlockingPool, RunsWorkThatCapturesOwningValues) {
  BlockingPool pool(2);
  boost::asio::io_context io;
  std::vector<std::string> results;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        for (int i = 0; i < 50; ++i) {
          std::string shorter = "id-" + std::to_string(i);
          std::vector<std::string> longer(3, std::string(40, 'x'));
          auto work = [shorter, longer] { return shorter + ":" + std::to_string(longer.size()); };
          std::string out = co_await pool.run(std::move(work));
          results.push_back(std::move(out));
        }
      },
      boost::asio::detached);
  io.run();
  ASSERT_EQ(results.size(), 50u);
  EXPECT_EQ(results[7], "id-7:3");
}

}  // namespace
}  // namespace maas::api
