// The steps every request takes whichever way it arrived (a connection, session.cc, or in process,
// answer_local): request ids, authorization against a route's access level, running the handler, the access log.
// Private to the http component apart from answer_local. Any thread; nothing here holds state beyond the call.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it

#include "common/status.h"
#include "http/router.h"

namespace maas::http {

class Server;
struct ServerOptions;

// Answers a request that did not come over one of the server's connections (maasd's gRPC listener): matched on
// the router, authorized, given the request timeout as its deadline, handled, and then observed, access-logged and
// handed to ServerOptions::on_request_done exactly as a connection's request is. `req` carries method, path,
// headers (lowercase names), body and remote; its body must already be within the route's limit. Runs on the
// caller's executor. `latest`: the caller's own deadline, when sooner than the request timeout's.
boost::asio::awaitable<Response> answer_local(
    Server& server, Request& req,
    std::chrono::steady_clock::time_point latest = std::chrono::steady_clock::time_point::max());

namespace internal {

// 16 hex characters, unique in this process.
std::string next_request_id();
// A client's X-Request-Id is kept when it is short and plain.
bool is_safe_request_id(std::string_view id);
// One JSON line per answered request (when the access log is on).
void log_access(const Request& req, int status, uint64_t bytes_in, uint64_t bytes_out,
                std::chrono::steady_clock::time_point started);
// Asks the server's authenticator whether the caller may use `route`; fills in who is calling.
Status authorize(const Server& server, Request& req, const Route& route);
// The route's answer; an exception the handler let out becomes a 500 in the route's error shape.
boost::asio::awaitable<Response> run_handler(const Router& router, const Route& route, Request& req);
// A 503 with Retry-After: 1, in the shape of `path`'s owner.
Response service_unavailable(const Server& server, std::string_view path, const std::string& why);
// The 503 for a body the server-wide buffering budget (limits.max_buffered_body_bytes) has no room for.
Response over_body_budget(Server& server, Request& req);
// A signed request's buffered body against the SHA-256 its signature covers (the signature itself was checked
// from the headers); OK for a request that was not signed.
Status check_signed_body(const Request& req);
// A route's body limit in bytes, and the same in words naming its setting.
std::pair<uint64_t, std::string> body_limit(const ServerOptions& opt, BodyMode mode);
// The answer to a caller the authenticator refused, in the route's error shape (401 with WWW-Authenticate).
Response refused(const Server& server, Request& req, const Route& route, const Status& denied);

}  // namespace internal
}  // namespace maas::http
