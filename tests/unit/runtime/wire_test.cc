#include "runtime/wire.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

namespace maas::runtime::wire {
namespace {

TEST(Wire, MessagesRoundTripOverASocket) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  Message sent;
  sent.kind = Kind::kExecute;
  sent.request_id = 42;
  sent.header = {{"parameters", {{"output", "margin"}}}};
  std::vector<float> values(100000, 1.5f);  // larger than a socket buffer: writev must loop
  Tensor t;
  t.name = "input";
  t.shape = {1000, 100};
  t.data = Buffer::copy_of(values.data(), values.size() * 4);
  sent.tensors.push_back(t);
  std::thread writer([&] { EXPECT_TRUE(write_message(fds[0], sent).ok()); });
  auto got = read_message(fds[1]);
  writer.join();
  ::close(fds[0]);
  ::close(fds[1]);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->kind, Kind::kExecute);
  EXPECT_EQ(got->request_id, 42u);
  EXPECT_EQ(got->header["parameters"]["output"], "margin");
  ASSERT_EQ(got->tensors.size(), 1u);
  EXPECT_EQ(got->tensors[0].shape, t.shape);
  EXPECT_EQ(0, std::memcmp(got->tensors[0].data.data(), values.data(), values.size() * 4));
}

TEST(Wire, ClosedChannelIsUnavailable) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  ::close(fds[0]);
  EXPECT_EQ(read_message(fds[1]).status().code(), StatusCode::kUnavailable);
  ::close(fds[1]);
}

TEST(Wire, StatusAndSignatureSurviveTheTrip) {
  Status s = status_from_json(status_to_json(invalid_argument("input 'x' is wrong")));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "input 'x' is wrong");
  ModelSignature sig;
  sig.inputs.push_back({"x", DataType::kInt64, {-1, 3}, true});
  sig.outputs.push_back({"y", DataType::kFp32, {-1}, false});
  auto back = signature_from_json(signature_to_json(sig));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->inputs[0].datatype, DataType::kInt64);
  EXPECT_EQ(back->inputs[0].shape, (std::vector<int64_t>{-1, 3}));
  EXPECT_FALSE(back->outputs[0].shape_known);
}

}  // namespace
}  // namespace maas::runtime::wire

namespace maas::runtime::wire {
namespace {

TEST(Wire, DeadlinesTravelAsMonotonicNanoseconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  EXPECT_EQ(deadline_from_ns(deadline_to_ns(deadline)), deadline);
}

}  // namespace
}  // namespace maas::runtime::wire
