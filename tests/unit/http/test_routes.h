// Routes and a blocking client shared by the http tests that run a real server (plain and TLS).
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <string>

#include "http/router.h"

namespace maas::http::test_support {

// GET /events: an SSE stream of "data: 0", "data: 1", "data: 2"; GET /plain: {"a":1}.
inline void add_events_and_plain_routes(Router& router) {
  BodyProducer produce = [](ChunkWriter& out) -> boost::asio::awaitable<void> {
    for (int i = 0; i < 3; ++i) {
      bool ok = co_await out.write("data: " + std::to_string(i) + "\n\n");
      if (!ok) co_return;
    }
  };
  router.add(
      "GET", "/events", [produce](Request&) -> boost::asio::awaitable<Response> { co_return Response::sse(produce); },
      BodyMode::kBuffered, Access::kPublic);
  router.add(
      "GET", "/plain",
      [](Request&) -> boost::asio::awaitable<Response> {
        co_return Response::json(200, {{"a", 1}});
      },
      BodyMode::kBuffered, Access::kPublic);
}

// One GET on a connected stream (a TCP socket or a TLS stream), read to the end of its response.
template <class Stream>
boost::beast::http::response<boost::beast::http::string_body> get(Stream& stream, const std::string& target) {
  namespace bhttp = boost::beast::http;
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
  req.set(bhttp::field::host, "test");
  bhttp::write(stream, req);
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(stream, buffer, res);
  return res;
}

}  // namespace maas::http::test_support
