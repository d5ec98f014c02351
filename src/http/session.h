// One HTTP connection, served as a coroutine on its own strand (private to the http component). The same code
// serves plain TCP and TLS: it is a template over the stream type.
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
  boost::beast::tcp_stream* stream = nullptr;  // the TCP stream, under TLS too
  bool busy = false;   // a request is being read, handled or answered
  bool alive = true;
};

// Serves over TLS when the server has a TLS context at the time of the call, else plain HTTP.
boost::asio::awaitable<void> serve_connection(Server& server, boost::asio::ip::tcp::socket socket);

}  // namespace maas::http
