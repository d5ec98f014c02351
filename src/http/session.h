// One HTTP connection, served as a coroutine on its event loop (private to the http component). The same code
// serves plain TCP and TLS: it is a template over the stream type.
#pragma once

#include <atomic>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace maas::http {

class Server;

// What shutdown needs to see of a connection. Touched only on the connection's loop, except through posts.
struct SessionHandle {
  // The connection's executor (its loop, run by one thread): set before the handle is registered and never
  // changed, so shutdown may read it from any thread; everything below is read and written on that loop only.
  boost::beast::tcp_stream::executor_type executor;
  boost::beast::tcp_stream* stream = nullptr;  // the TCP stream, under TLS too; null once the session ends
  bool busy = false;   // a request is being read, handled or answered
  bool alive = true;
};

// Serves over TLS when the server has a TLS context at the time of the call, else plain HTTP.
boost::asio::awaitable<void> serve_connection(Server& server, boost::asio::ip::tcp::socket socket);

}  // namespace maas::http
