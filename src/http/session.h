// One HTTP connection, served as a coroutine on its own strand (private to the http component).
#pragma once

#include <atomic>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace maas::http {

class Server;

// What shutdown needs to see of a connection. Touched only on the connection's strand, except through posts.
struct SessionHandle {
  boost::beast::tcp_stream* stream = nullptr;
  bool busy = false;   // a request is being read, handled or answered
  bool alive = true;
};

boost::asio::awaitable<void> serve_connection(Server& server, boost::asio::ip::tcp::socket socket);

}  // namespace maas::http
