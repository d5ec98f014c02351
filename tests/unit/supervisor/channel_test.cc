#include "supervisor/channel.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "run_sync.h"

namespace maas::supervisor {
namespace {

std::span<const std::byte> bytes_of(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

TEST(Channel, BlockingFramesRoundTripWithALargePayload) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  std::string part1(300'000, 'a'), part2 = "tail";  // larger than a socket buffer: writev must loop
  std::thread writer([&] {
    std::span<const std::byte> parts[] = {bytes_of(part1), bytes_of(part2)};
    EXPECT_TRUE(write_frame(fds[0], 7, 99, R"({"x":1})", parts).ok());
  });
  auto got = read_frame(fds[1]);
  writer.join();
  ::close(fds[0]);
  ::close(fds[1]);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->kind(), 7u);
  EXPECT_EQ(got->frame.request_id, 99u);
  EXPECT_EQ(got->header, R"({"x":1})");
  ASSERT_EQ(got->payload.size(), part1.size() + part2.size());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(got->payload.data()) + part1.size(), 4), "tail");
}

TEST(Channel, AMalformedFrameIsInternalAndAClosedPeerUnavailable) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  Frame bad;
  bad.magic = 0x12345678;
  ASSERT_EQ(::write(fds[0], &bad, sizeof(bad)), static_cast<ssize_t>(sizeof(bad)));
  EXPECT_EQ(read_frame(fds[1]).status().code(), StatusCode::kInternal);
  ::close(fds[0]);
  EXPECT_EQ(read_frame(fds[1]).status().code(), StatusCode::kUnavailable);
  ::close(fds[1]);
}

TEST(Channel, AsyncEndTalksToABlockingEnd) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  boost::asio::io_context io;
  Channel channel(io.get_executor(), fds[0]);
  // The peer echoes one message back with its kind + 1.
  std::thread peer([fd = fds[1]] {
    auto in = read_frame(fd);
    ASSERT_TRUE(in.ok());
    std::span<const std::byte> parts[] = {std::span<const std::byte>(in->payload)};
    EXPECT_TRUE(write_frame(fd, in->kind() + 1, in->frame.request_id, in->header, parts).ok());
    ::close(fd);
  });
  auto exchange = [&]() -> boost::asio::awaitable<Result<Envelope>> {
    std::string payload = "payload";
    boost::asio::const_buffer parts[] = {boost::asio::buffer(payload)};
    Status sent = co_await channel.send(41, 5, "{}", parts);
    if (!sent.ok()) co_return sent;
    co_return co_await channel.receive();
  };
  auto reply = run_sync(io, exchange());
  peer.join();
  ASSERT_TRUE(reply.ok()) << reply.status().to_string();
  EXPECT_EQ(reply->kind(), 42u);
  EXPECT_EQ(reply->frame.request_id, 5u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(reply->payload.data()), reply->payload.size()), "payload");
  // The peer has closed its end: the next receive says so.
  EXPECT_EQ(run_sync(io, channel.receive()).status().code(), StatusCode::kUnavailable);
}

TEST(Channel, APayloadOverTheReceiversLimitIsSkippedAndTheChannelStaysInStep) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  boost::asio::io_context io;
  Channel channel(io.get_executor(), fds[0]);
  // Larger than a socket buffer and than the chunk the channel drops at a time: the skip must loop.
  std::string big(3'000'000, 'x'), small = "next";
  std::thread peer([&, fd = fds[1]] {
    std::span<const std::byte> first[] = {bytes_of(big)};
    EXPECT_TRUE(write_frame(fd, 4, 1, "{}", first).ok());
    std::span<const std::byte> second[] = {bytes_of(small)};
    EXPECT_TRUE(write_frame(fd, 4, 2, "{}", second).ok());
    ::close(fd);
  });
  uint64_t skipped = 0;
  auto refused = run_sync(io, channel.receive(1'000'000, &skipped));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPayloadTooLarge);
  EXPECT_EQ(skipped, big.size());
  auto next = run_sync(io, channel.receive(1'000'000));
  peer.join();
  ASSERT_TRUE(next.ok()) << next.status().to_string();
  EXPECT_EQ(next->frame.request_id, 2u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(next->payload.data()), next->payload.size()), "next");
}

}  // namespace
}  // namespace maas::supervisor
