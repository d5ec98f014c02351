// Streamed responses against a real server on a loopback port: chunks arrive in order, the connection stays
// usable afterwards, and a client that goes away makes the producer's write() return false.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <future>
#include <thread>

#include "http/router.h"
#include "http/server.h"
#include "test_routes.h"

namespace maas::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

class StreamingServer : public ::testing::Test {
 protected:
  void start() {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.drain_timeout = std::chrono::milliseconds(2000);
    // Three event loops: a connection may be served on a loop other than the main one, where the producer posts.
    options.threads = 3;
    server_ = std::make_unique<Server>(options, router_);
    ASSERT_TRUE(server_->start().ok());
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    if (server_) server_->begin_shutdown();
    if (thread_.joinable()) thread_.join();
  }

  tcp::socket connect() {
    tcp::socket socket(client_io_);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    return socket;
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  asio::io_context client_io_;
};

TEST_F(StreamingServer, SendsChunksInOrderAndKeepsTheConnection) {
  test_support::add_events_and_plain_routes(router_);
  start();
  auto socket = connect();
  auto res = test_support::get(socket, "/events");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_TRUE(res.chunked());
  EXPECT_EQ(res[bhttp::field::content_type], "text/event-stream");
  EXPECT_EQ(res.body(), "data: 0\n\ndata: 1\n\ndata: 2\n\n");
  EXPECT_TRUE(res.keep_alive());
  auto again = test_support::get(socket, "/plain");
  EXPECT_EQ(again.result_int(), 200);
  EXPECT_EQ(again.body(), R"({"a":1})");
}

TEST_F(StreamingServer, AProducerLearnsThatTheClientLeft) {
  auto gave_up = std::make_shared<std::promise<int>>();
  BodyProducer produce = [gave_up](ChunkWriter& out) -> asio::awaitable<void> {
    std::string chunk(64 << 10, 'x');
    for (int written = 0;; ++written) {
      if (!co_await out.write(chunk)) {
        gave_up->set_value(written);
        co_return;
      }
    }
  };
  router_.add("GET", "/forever", [produce](Request&) -> asio::awaitable<Response> { co_return Response::sse(produce); },
              BodyMode::kBuffered, Access::kPublic);
  start();
  auto future = gave_up->get_future();
  {
    auto socket = connect();
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/forever", 11};
    req.set(bhttp::field::host, "test");
    bhttp::write(socket, req);
    boost::beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::buffer_body> parser;
    bhttp::read_header(socket, buffer, parser);
    EXPECT_EQ(parser.get().result_int(), 200);
    // Closing with unread data resets the connection; the producer's next write fails.
  }
  // Without the signal the producer would write forever; the client took the first chunks at most.
  ASSERT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready) << "the producer never stopped";
  EXPECT_LT(future.get(), 1000);
}

}  // namespace
}  // namespace maas::http
