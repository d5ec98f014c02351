#include "http/session.h"

#include <spdlog/spdlog.h>

#include <boost/beast/core/string.hpp>
#include <limits>

#include "common/clock.h"
#include "common/json_line.h"
#include "common/logging.h"
#include "common/random.h"
#include "http/body_digest.h"
#include "http/dispatch.h"
#include "http/message_rules.h"
#include "http/server.h"
#include "http/session_io.h"
#include "http/tls.h"

namespace maas::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using namespace internal;  // NOLINT: the session's own reading and writing pieces

namespace {

using Clock = std::chrono::steady_clock;

// The first read of a request: whatever has arrived, up to this much (the parser reads the rest).
constexpr size_t kFirstReadBytes = 8192;

// The handler's view of a request head; *error when the head breaks a rule of RFC 9112 (framing, Host) or its
// target is malformed. The absolute-form target is reduced to its path and query.
Request make_request(const bhttp::request_header<>& header, const std::string& remote, Status* error) {
  Request req;
  req.method = std::string(header.method_string());
  for (const auto& field : header) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  normalize_coding_values(req.headers);
  auto id = req.header("x-request-id");
  req.request_id = id && is_safe_request_id(*id) ? *id : next_request_id();
  req.remote = remote;
  auto target = origin_form(header.target());
  if (!target.ok()) {
    *error = target.status();
    return req;
  }
  req.target = std::move(*target);
  std::string_view view = req.target;
  size_t q = view.find('?');
  auto path = percent_decode(view.substr(0, q), false);
  if (!path) {
    *error = invalid_argument("malformed percent-escape in the request path");
    return req;
  }
  req.path = std::move(*path);
  if (q != std::string_view::npos) {
    auto query = parse_query(view.substr(q + 1));
    if (!query.ok()) {
      *error = query.status();
      return req;
    }
    req.query = std::move(*query);
  }
  *error = check_request_head(req.headers, header.version());
  return req;
}

struct Outcome {
  Response response;
  bool close = false;  // the connection cannot be reused (unread body, protocol error)
};

// A malformed body (a bad chunk, say), as opposed to a client that went away or stalled.
bool is_malformed(const boost::system::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_chunk).category() &&
         ec != bhttp::error::partial_message && ec != bhttp::error::end_of_stream;
}

// Waits, idle, for the first bytes of a request (or of the TLS handshake) from `stream` into `buffer`, until
// `deadline`. False when the connection should end: the client left or stayed silent (*timed_out), or the
// server chose this idle connection for closing.
template <class ReadStream>
asio::awaitable<bool> wait_for_bytes(ReadStream& stream, beast::flat_buffer& buffer, SessionHandle& handle,
                                     Clock::time_point deadline, bool* timed_out) {
  if (!handle.mark_idle()) co_return false;
  tcp_of(stream).expires_at(deadline);
  boost::system::error_code ec;
  size_t n = co_await stream.async_read_some(buffer.prepare(kFirstReadBytes), awaitable_ec(ec));
  buffer.commit(n);
  if (!handle.mark_busy()) co_return false;
  *timed_out = ec == beast::error::timeout;
  co_return !ec;
}

// The TLS handshake, from the client's first byte (waited for idle) to `deadline`. False when it failed.
asio::awaitable<bool> handshake(Server& server, TlsStream& stream, SessionHandle& handle, Clock::time_point deadline) {
  beast::flat_buffer hello;
  bool timed_out = false;
  bool ok = co_await wait_for_bytes(tcp_of(stream), hello, handle, deadline, &timed_out);
  if (ok) {
    boost::system::error_code ec;
    tcp_of(stream).expires_at(deadline);
    co_await stream.async_handshake(asio::ssl::stream_base::server, hello.data(), awaitable_ec(ec));
    ok = !ec;
    timed_out = ec == beast::error::timeout;
  }
  if (timed_out) server.count(ConnectionEvent::kHeaderTimeout);
  co_return ok;
}

// Reads a buffered route's body into req.body, its bytes held in the server's budget as they arrive (a chunked
// body) or already reserved (Content-Length). The answer when the body is refused (over the route's limit or the
// budget, or malformed); nullopt once it is read, or with *lost when the client went away or stalled.
template <class Stream>
asio::awaitable<std::optional<Outcome>> read_buffered_body(Server& server, Stream& stream, beast::flat_buffer& buffer,
                                                            bhttp::request_parser<bhttp::string_body>& parser,
                                                            Request& req, BodyReservation& reservation,
                                                            const std::string& limit_text, bool* lost) {
  boost::system::error_code ec;
  tcp_of(stream).expires_after(server.options().request_timeout);
  if (parser.content_length()) {
    co_await bhttp::async_read(stream, buffer, parser, awaitable_ec(ec));
  } else {
    while (!ec && !parser.is_done()) {
      co_await bhttp::async_read_some(stream, buffer, parser, awaitable_ec(ec));
      if (!ec && !reservation.grow_to(parser.get().body().size()))
        co_return Outcome{over_body_budget(server, req), true};
    }
  }
  if (ec == bhttp::error::body_limit) {
    co_return Outcome{
        server.router().error_response(req.path, payload_too_large("the request body is over " + limit_text)), true};
  }
  if (is_malformed(ec)) {
    co_return Outcome{
        server.router().error_response(req.path, invalid_argument("malformed request body: " + ec.message())), true};
  }
  *lost = static_cast<bool>(ec);
  co_return std::nullopt;
}

// Answers a request to a matched route whose caller may use it: checks the body against the route's limit and
// the budget (`reservation`, which the caller keeps until the answer is written), reads the body (or lets the
// handler stream it) and runs the handler. *lost when the client went away.
template <class Stream>
asio::awaitable<Outcome> serve_route(Server& server, Stream& stream, beast::flat_buffer& buffer,
                                     bhttp::request_parser<bhttp::empty_body>& header_parser, Request& req,
                                     const Route& route, BodyReservation& reservation, uint64_t* bytes_in,
                                     bool* lost) {
  const ServerOptions& opt = server.options();
  const bool streamed = route.body_mode == BodyMode::kStreamed;
  const auto [limit, limit_text] = body_limit(opt, route.body_mode);
  const bool has_body = header_parser.content_length().value_or(0) > 0 || header_parser.chunked();
  auto declared = header_parser.content_length();
  if (declared && *declared > limit) {
    co_return Outcome{server.router().error_response(
                          req.path, payload_too_large("the request body is " + std::to_string(*declared) +
                                                      " bytes; the limit for this endpoint is " + limit_text)),
                      true};
  }
  // Buffered bodies are held in memory: their declared size is reserved before a byte of them is read.
  if (!streamed && declared && !reservation.grow_to(*declared)) co_return Outcome{over_body_budget(server, req), true};
  if (has_body && beast::iequals(header_parser.get()[bhttp::field::expect], "100-continue")) {
    boost::system::error_code ec;
    bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
    co_await bhttp::async_write(stream, cont, awaitable_ec(ec));
    *lost = static_cast<bool>(ec);
    if (*lost) co_return Outcome{};
  }
  Outcome outcome;
  if (streamed) {
    bhttp::request_parser<bhttp::buffer_body> body_parser(std::move(header_parser));
    body_parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    ParserBodyStream<Stream> body(stream, buffer, body_parser, opt.idle_timeout);
    std::optional<DigestCheckingBodyStream> checked;
    if (req.principal && !req.principal->body_sha256.empty()) checked.emplace(body, req.principal->body_sha256);
    req.body_stream = checked ? static_cast<BodyStream*>(&*checked) : &body;
    outcome.response = co_await run_handler(server.router(), route, req);
    req.body_stream = nullptr;
    outcome.close = body.failed() || !body_parser.is_done();
    *bytes_in = body_parser.content_length().value_or(0);
    co_return outcome;
  }
  bhttp::request_parser<bhttp::string_body> body_parser(std::move(header_parser));
  body_parser.body_limit(limit);
  if (has_body) {
    auto refused = co_await read_buffered_body(server, stream, buffer, body_parser, req, reservation, limit_text, lost);
    if (refused) co_return std::move(*refused);
    if (*lost) co_return Outcome{};
  }
  req.body = std::move(body_parser.get().body());
  *bytes_in = req.body.size();
  if (auto altered = check_signed_body(req); !altered.ok()) {
    co_return Outcome{refused(server, req, route, altered), false};
  }
  outcome.response = co_await run_handler(server.router(), route, req);
  co_return outcome;
}

// The answer to a request whose head was read: an error before any route runs (a broken rule, no route, no
// access), or the route's.
template <class Stream>
asio::awaitable<Outcome> answer(Server& server, Stream& stream, beast::flat_buffer& buffer,
                                bhttp::request_parser<bhttp::empty_body>& header_parser, Request& req,
                                const Status& head_error, BodyReservation& reservation, uint64_t* bytes_in,
                                bool* lost) {
  const bool has_body = header_parser.content_length().value_or(0) > 0 || header_parser.chunked();
  // A head that breaks a rule closes the connection: after a framing error nobody knows where the next request
  // begins, and the bytes after it must not be served as one.
  if (!head_error.ok()) co_return Outcome{server.router().error_response(req.path, head_error), true};
  RouteMatch match = server.router().match(req.method, req.path);
  if (match.route == nullptr) {
    Outcome outcome{{}, has_body};
    if (!match.allowed_methods.empty()) {
      std::string allow;
      for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
      outcome.response = server.router().error_response(
          req.path,
          Status(StatusCode::kMethodNotAllowed, req.method + " is not allowed on " + req.path + "; use " + allow));
      outcome.response.headers.emplace_back("Allow", allow);
    } else {
      outcome.response =
          server.router().error_response(req.path, not_found("no route for " + req.method + " " + req.path));
    }
    co_return outcome;
  }
  if (auto denied = authorize(server, req, *match.route); !denied.ok()) {
    co_return Outcome{refused(server, req, *match.route, denied), has_body};
  }
  req.path_params = std::move(match.params);
  req.route = match.route->pattern;
  const bool streamed = match.route->body_mode == BodyMode::kStreamed;
  req.deadline = Clock::now() + (streamed ? server.options().upload_timeout : server.options().request_timeout);
  co_return co_await serve_route(server, stream, buffer, header_parser, req, *match.route, reservation, bytes_in,
                                 lost);
}

// Answers a head that could not be read: too large (413) or not HTTP (400); nothing for a client that left or
// was too slow. True when an answer was written.
template <class Stream>
asio::awaitable<bool> answer_unreadable_head(Server& server, Stream& stream, boost::system::error_code ec) {
  Status why;
  if (ec == bhttp::error::header_limit) {
    why = payload_too_large("request headers exceed " + std::to_string(server.options().max_header_bytes) +
                            " bytes (limits.max_header_bytes)");
  } else if (ec != bhttp::error::end_of_stream && ec != asio::error::operation_aborted &&
             ec != beast::error::timeout && ec != asio::error::connection_reset && ec != asio::error::eof &&
             ec != asio::ssl::error::stream_truncated) {
    why = invalid_argument("malformed HTTP request: " + ec.message());
  } else {
    co_return false;
  }
  Request req;
  req.request_id = next_request_id();
  Response res = Response::error(why);
  uint64_t out = 0;
  co_await write_response(stream, req, res, false, false, ec, &out);
  co_return !ec;
}

template <class Stream>
asio::awaitable<void> serve(Server& server, Stream& stream, std::shared_ptr<SessionHandle> handle) {
  const ServerOptions& opt = server.options();
  std::string remote;
  {
    boost::system::error_code ec;
    auto ep = tcp_of(stream).socket().remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  handle->stream = &tcp_of(stream);
  // As nginx's client_header_timeout: the first request's headers (the TLS handshake included) must be in within
  // header_timeout of the accept; a later request may be waited for idle_timeout, and its headers then get
  // header_timeout from its first byte (or, pipelined, from the end of the previous answer).
  const auto first_deadline = handle->accepted_at + opt.header_timeout;
  bool serving = true;
  std::string client_subject;  // of the client certificate the handshake verified
  if constexpr (kIsTls<Stream>) {
    serving = co_await handshake(server, stream, *handle, first_deadline);
    if (serving) client_subject = verified_client_subject(stream.native_handle());
  }
  beast::flat_buffer buffer;
  bool unread_body = false;  // the last answer was sent before its request body was read
  for (bool first = true; serving && !server.draining(); first = false) {
    boost::system::error_code ec;
    if (buffer.size() == 0) {
      bool timed_out = false;
      auto deadline = first ? first_deadline : Clock::now() + opt.idle_timeout;
      if (!co_await wait_for_bytes(stream, buffer, *handle, deadline, &timed_out)) {
        if (timed_out && first) server.count(ConnectionEvent::kHeaderTimeout);
        break;
      }
    }
    bhttp::request_parser<bhttp::empty_body> header_parser;
    header_parser.header_limit(static_cast<uint32_t>(opt.max_header_bytes));
    // Beast checks a declared Content-Length against this parser's limit while reading the header; the route's
    // own limit is applied later, so this one must not interfere. (boost::none is broken in Beast 1.74.)
    header_parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    tcp_of(stream).expires_at(first ? first_deadline : Clock::now() + opt.header_timeout);
    co_await bhttp::async_read_header(stream, buffer, header_parser, awaitable_ec(ec));
    if (ec) {
      if (ec == beast::error::timeout) server.count(ConnectionEvent::kHeaderTimeout);
      unread_body = co_await answer_unreadable_head(server, stream, ec);
      break;
    }
    auto started = Clock::now();
    // Read now: the parser's message is moved into the body parser later.
    const bool client_keep_alive = header_parser.get().keep_alive();
    Status head_error;
    Request req = make_request(header_parser.get(), remote, &head_error);
    req.client_cert_subject = client_subject;
    const bool head = req.method == "HEAD";
    BodyReservation reservation(server.body_budget());  // held until the answer is written
    uint64_t bytes_in = 0;
    bool lost = false;
    Outcome outcome =
        co_await answer(server, stream, buffer, header_parser, req, head_error, reservation, &bytes_in, &lost);
    if (lost) break;  // the client went away or stalled mid-body: nobody to answer

    // Observed before the answer goes out, so that whoever gets it and asks next (the audit log, say) sees it.
    if (server.observer()) {
      server.observer()(req, outcome.response.status,
                        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
    }
    bool keep_alive = client_keep_alive && !outcome.close && !server.draining();
    uint64_t bytes_out = 0;
    co_await write_response(stream, req, outcome.response, keep_alive, head, ec, &bytes_out);
    log_access(req, outcome.response.status, bytes_in, bytes_out, started);
    if (opt.on_request_done) {
      opt.on_request_done(CompletedRequest{req, outcome.response.status, bytes_in, bytes_out, Clock::now() - started});
    }
    if (!ec && outcome.close) unread_body = true;
    if (ec || !keep_alive) break;
  }

  if constexpr (kIsTls<Stream>) {
    // With unread request bytes queued, close_notify would wait behind them; lingering handles that case.
    if (serving && !unread_body) co_await shutdown_tls(stream);
  }
  boost::system::error_code ignored;
  tcp_of(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (unread_body) co_await linger(tcp_of(stream));
  handle->alive = false;
  handle->stream = nullptr;
  server.unregister_session(handle);
}

}  // namespace

asio::awaitable<void> serve_connection(Server& server, tcp::socket socket, std::shared_ptr<SessionHandle> handle) {
  // Taken once: a certificate reloaded later serves connections accepted later; this one keeps its context.
  std::shared_ptr<asio::ssl::context> tls = server.tls_context();
  if (!tls) {
    beast::tcp_stream stream(std::move(socket));
    co_await serve(server, stream, std::move(handle));
    co_return;
  }
  TlsStream stream(std::move(socket), *tls);
  co_await serve(server, stream, std::move(handle));
}

asio::awaitable<void> refuse_connection(Server& server, tcp::socket socket) {
  if (server.tls_context()) co_return;  // the socket closes here
  beast::tcp_stream stream(std::move(socket));
  Request req;
  req.request_id = next_request_id();
  Response res = service_unavailable(server, "",
                                     "the server has " + std::to_string(server.options().max_connections) +
                                         " connections open, all busy (limits.max_connections); retry shortly");
  boost::system::error_code ec;
  uint64_t out = 0;
  co_await write_response(stream, req, res, false, false, ec, &out);
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace maas::http
