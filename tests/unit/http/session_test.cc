// One connection's life against a real server on a loopback port: routing (404, 405 with Allow), authorization,
// body limits, a handler that throws, keep-alive — and every error the session raises itself takes the shape the
// owner of the path set on the router (the management shape elsewhere).
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>
#include <thread>

#include "http/router.h"
#include "http/server.h"
#include "test_routes.h"

namespace maas::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Awaitable = asio::awaitable<Response>;

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add(
        "GET", "/open",
        [](Request&) -> Awaitable {
          co_return Response::json(200, {{"ok", true}});
        },
        BodyMode::kBuffered, Access::kPublic);
    router_.add(
        "GET", "/api/v1/secret", [](Request&) -> Awaitable { co_return Response::json(200, {}); }, BodyMode::kBuffered,
        Access::kRead);
    router_.add(
        "POST", "/api/v1/echo",
        [](Request& req) -> Awaitable {
          co_return Response::json(200, {{"n", req.body.size()}});
        },
        BodyMode::kBuffered, Access::kPublic);
    router_.add(
        "GET", "/v9/throws",
        [](Request&) -> Awaitable {
          throw std::runtime_error("boom");
          co_return Response::no_content();
        },
        BodyMode::kBuffered, Access::kPublic);
    // A protocol with its own error shape under /v9.
    router_.set_error_format("/v9", [](const Status& s) {
      return Response::json(http_status_for(s.code()), {{"problem", s.message()}});
    });
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.max_json_body_bytes = 64;
    options.drain_timeout = std::chrono::milliseconds(2000);
    server_ = std::make_unique<Server>(options, router_);
    // Only a request carrying "Authorization: let-me-in" may read.
    server_->set_authenticator([](const Request& req, Access) -> Result<std::shared_ptr<const Principal>> {
      if (req.header("authorization") != "let-me-in") return unauthenticated("no key");
      return std::make_shared<const Principal>(Principal{"k1", "tester", "viewer", {}});
    });
    ASSERT_TRUE(server_->start().ok());
    thread_ = std::thread([this] { server_->run(); });
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
  }
  void TearDown() override {
    boost::system::error_code ignored;
    socket_.close(ignored);
    if (server_) server_->begin_shutdown();
    if (thread_.joinable()) thread_.join();
  }

  bhttp::response<bhttp::string_body> send(bhttp::verb verb, const std::string& target, const std::string& body = "",
                                           const std::string& authorization = "") {
    bhttp::request<bhttp::string_body> req{verb, target, 11};
    req.set(bhttp::field::host, "test");
    if (!authorization.empty()) req.set(bhttp::field::authorization, authorization);
    if (verb == bhttp::verb::post) {
      req.set(bhttp::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
    }
    bhttp::write(socket_, req);
    bhttp::response<bhttp::string_body> res;
    bhttp::read(socket_, buffer_, res);
    return res;
  }
  static nlohmann::json body_of(const bhttp::response<bhttp::string_body>& res) {
    return nlohmann::json::parse(res.body());
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  asio::io_context client_io_;
  tcp::socket socket_{client_io_};
  boost::beast::flat_buffer buffer_;
};

TEST_F(SessionTest, AnswersManyRequestsOnOneConnection) {
  for (int i = 0; i < 3; ++i) {
    auto res = send(bhttp::verb::get, "/open");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_TRUE(res.keep_alive());
  }
}

TEST_F(SessionTest, AnUnknownPathIsA404InTheShapeOfItsOwner) {
  auto plain = send(bhttp::verb::get, "/api/v1/nothing");
  EXPECT_EQ(plain.result_int(), 404);
  EXPECT_EQ(body_of(plain)["error"]["code"], "NOT_FOUND");
  auto owned = send(bhttp::verb::get, "/v9/nothing");
  EXPECT_EQ(owned.result_int(), 404);
  EXPECT_TRUE(body_of(owned)["problem"].is_string()) << owned.body();
}

TEST_F(SessionTest, AWrongMethodIsA405ThatSaysWhichAreAllowed) {
  auto res = send(bhttp::verb::delete_, "/open");
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_NE(std::string(res[bhttp::field::allow]).find("GET"), std::string::npos);
}

TEST_F(SessionTest, ARouteThatNeedsAKeyRefusesACallerWithout) {
  auto refused = send(bhttp::verb::get, "/api/v1/secret");
  EXPECT_EQ(refused.result_int(), 401);
  EXPECT_EQ(body_of(refused)["error"]["code"], "UNAUTHENTICATED");
  EXPECT_EQ(send(bhttp::verb::get, "/api/v1/secret", "", "let-me-in").result_int(), 200);
  EXPECT_EQ(send(bhttp::verb::get, "/open").result_int(), 200);  // public: no key needed
}

TEST_F(SessionTest, ABodyOverTheLimitIsA413) {
  EXPECT_EQ(send(bhttp::verb::post, "/api/v1/echo", R"({"a": 1})").result_int(), 200);
  auto res = send(bhttp::verb::post, "/api/v1/echo", std::string(200, ' '));
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_EQ(body_of(res)["error"]["code"], "PAYLOAD_TOO_LARGE");
}

TEST_F(SessionTest, AHandlerThatThrowsIsA500InTheShapeOfItsOwnerAndTheConnectionGoesOn) {
  auto res = send(bhttp::verb::get, "/v9/throws");
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_TRUE(body_of(res)["problem"].is_string()) << res.body();
  EXPECT_EQ(send(bhttp::verb::get, "/open").result_int(), 200);
}

}  // namespace
}  // namespace maas::http
