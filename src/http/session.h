// One HTTP connection, served as a coroutine on its event loop (private to the http component). The same code
// serves plain TCP and TLS: it is a template over the stream type.
#pragma once

#include <memory>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/connection_table.h"

namespace maas::http {

class Server;

// Serves an admitted connection (registered under `handle`, which it unregisters when it ends) over TLS when the
// server has a TLS context at the time of the call, else plain HTTP.
boost::asio::awaitable<void> serve_connection(Server& server, boost::asio::ip::tcp::socket socket,
                                              std::shared_ptr<SessionHandle> handle);

// Refuses a connection the server has no room for: a 503 with Retry-After over plain HTTP, a plain close over TLS
// (answering would cost a handshake).
boost::asio::awaitable<void> refuse_connection(Server& server, boost::asio::ip::tcp::socket socket);

}  // namespace maas::http
