#include "http/session.h"

#include <spdlog/spdlog.h>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <array>
#include <limits>

#include "common/clock.h"
#include "common/json_line.h"
#include "common/logging.h"
#include "common/random.h"
#include "http/server.h"

namespace maas::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr size_t kChunkBytes = 1 << 20;

// The session runs over either stream type; timeouts and closing always act on the TCP stream underneath.
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
template <class Stream>
constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;
template <class Stream>
beast::tcp_stream& tcp_of(Stream& stream) {
  return beast::get_lowest_layer(stream);
}

auto awaitable_ec(boost::system::error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

// 16 hex characters: a random per-process prefix and a counter. Unique without a call into the random generator
// (and its lock) on every request.
std::string next_request_id() {
  static const std::string kPrefix = random_hex(4);
  static std::atomic<uint32_t> counter{0};
  char buf[9];
  std::snprintf(buf, sizeof(buf), "%08x", counter.fetch_add(1, std::memory_order_relaxed));
  return kPrefix + buf;
}

bool is_safe_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// Streams the body of the current request out of the Beast parser, one chunk at a time.
template <class Stream>
class ParserBodyStream final : public BodyStream {
 public:
  ParserBodyStream(Stream& stream, beast::flat_buffer& buffer,
                   bhttp::request_parser<bhttp::buffer_body>& parser, std::chrono::milliseconds idle_timeout)
      : stream_(stream), buffer_(buffer), parser_(parser), idle_timeout_(idle_timeout), chunk_(kChunkBytes) {}

  std::optional<uint64_t> content_length() const override {
    auto len = parser_.content_length();
    if (!len) return std::nullopt;
    return *len;
  }

  asio::awaitable<Result<std::string_view>> next_chunk() override {
    while (!parser_.is_done()) {
      parser_.get().body().data = chunk_.data();
      parser_.get().body().size = chunk_.size();
      boost::system::error_code ec;
      // Each read must make progress within the idle timeout: a stalled client cannot hold the upload open.
      tcp_of(stream_).expires_after(idle_timeout_);
      co_await bhttp::async_read_some(stream_, buffer_, parser_, awaitable_ec(ec));
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) {
        failed_ = true;
        if (ec == beast::error::timeout) co_return deadline_exceeded("the client stopped sending the request body");
        co_return invalid_argument("the request body could not be read: " + ec.message());
      }
      size_t got = chunk_.size() - parser_.get().body().size;
      if (got > 0) co_return std::string_view(chunk_.data(), got);
    }
    co_return std::string_view();
  }

  bool failed() const { return failed_; }

 private:
  Stream& stream_;
  beast::flat_buffer& buffer_;
  bhttp::request_parser<bhttp::buffer_body>& parser_;
  std::chrono::milliseconds idle_timeout_;
  std::vector<char> chunk_;
  bool failed_ = false;
};

Request make_request(const bhttp::request_header<>& header, const std::string& remote, Status* error) {
  Request req;
  req.method = std::string(header.method_string());
  req.target = std::string(header.target());
  std::string_view target = header.target();
  size_t q = target.find('?');
  auto path = percent_decode(target.substr(0, q), false);
  if (!path) {
    *error = invalid_argument("malformed percent-escape in the request path");
  } else {
    req.path = std::move(*path);
  }
  if (q != std::string_view::npos && error->ok()) {
    auto query = parse_query(target.substr(q + 1));
    if (query.ok()) {
      req.query = std::move(*query);
    } else {
      *error = query.status();
    }
  }
  for (const auto& field : header) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  auto id = req.header("x-request-id");
  req.request_id = id && is_safe_request_id(*id) ? *id : next_request_id();
  req.remote = remote;
  return req;
}

// Writes a streamed response body as HTTP/1.1 chunks. Each chunk must be taken by the client within the write
// timeout; a client that stops reading or goes away ends the stream.
template <class Stream>
class StreamChunkWriter final : public ChunkWriter {
 public:
  explicit StreamChunkWriter(Stream& stream) : stream_(stream) {}

  asio::awaitable<bool> write(std::string_view bytes) override {
    if (ec_) co_return false;
    if (bytes.empty()) co_return true;
    tcp_of(stream_).expires_after(kChunkWriteTimeout);
    co_await asio::async_write(stream_, bhttp::make_chunk(asio::buffer(bytes.data(), bytes.size())),
                               awaitable_ec(ec_));
    if (ec_) co_return false;
    bytes_ += bytes.size();
    co_return true;
  }

  uint64_t bytes() const { return bytes_; }
  boost::system::error_code error() const { return ec_; }

 private:
  static constexpr std::chrono::seconds kChunkWriteTimeout{30};
  Stream& stream_;
  boost::system::error_code ec_;
  uint64_t bytes_ = 0;
};

struct Outcome {
  Response response;
  bool close = false;  // the connection cannot be reused (unread body, protocol error)
};

template <class Stream>
asio::awaitable<void> write_response(Stream& stream, const Request& req, Response& res, bool keep_alive,
                                     boost::system::error_code& ec, uint64_t* bytes_out) {
  auto fill = [&](auto& msg) {
    msg.result(static_cast<unsigned>(res.status));
    msg.version(11);
    msg.set(bhttp::field::server, "maasd");
    msg.set("X-Request-Id", req.request_id);
    if (!res.content_type.empty()) msg.set(bhttp::field::content_type, res.content_type);
    for (const auto& [name, value] : res.headers) msg.set(name, value);
    msg.keep_alive(keep_alive);
  };
  tcp_of(stream).expires_after(std::chrono::seconds(60));
  if (res.stream) {
    bhttp::response<bhttp::empty_body> msg;
    fill(msg);
    msg.chunked(true);
    bhttp::response_serializer<bhttp::empty_body> serializer(msg);
    co_await bhttp::async_write_header(stream, serializer, awaitable_ec(ec));
    if (ec) co_return;
    StreamChunkWriter<Stream> writer(stream);
    co_await res.stream(writer);
    *bytes_out = writer.bytes();
    ec = writer.error();
    if (ec) co_return;
    tcp_of(stream).expires_after(std::chrono::seconds(60));
    co_await asio::async_write(stream, bhttp::make_chunk_last(), awaitable_ec(ec));
    co_return;
  }
  if (res.file) {
    bhttp::response<bhttp::file_body> msg;
    fill(msg);
    msg.body().open(res.file->c_str(), beast::file_mode::scan, ec);
    if (ec) {
      res = Response::error(internal_error("cannot open the artifact for reading: " + ec.message()));
    } else {
      msg.prepare_payload();
      *bytes_out = msg.body().size();
      // Large downloads: the write timeout applies per chunk, not to the whole file.
      tcp_of(stream).expires_never();
      co_await bhttp::async_write(stream, msg, awaitable_ec(ec));
      co_return;
    }
  }
  bhttp::response<bhttp::string_body> msg;
  fill(msg);
  msg.body() = std::move(res.body);
  msg.prepare_payload();
  *bytes_out = msg.body().size();
  co_await bhttp::async_write(stream, msg, awaitable_ec(ec));
}

void log_access(const Request& req, int status, uint64_t bytes_in, uint64_t bytes_out,
                std::chrono::steady_clock::time_point started) {
  spdlog::logger* logger = access_logger();
  if (logger == nullptr) return;
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
  std::string line = JsonLine()
                         .field("ts", format_rfc3339_ms(now_unix_ms()))
                         .field("type", "access")
                         .field("request_id", req.request_id)
                         .field("remote", req.remote)
                         .field("method", req.method)
                         .field("path", req.path)
                         .field("status", status)
                         .field("bytes_in", bytes_in)
                         .field("bytes_out", bytes_out)
                         .field("duration_ms", static_cast<double>(micros) / 1000.0)
                         .take();
  logger->info(line);
}

// Asks the server's authenticator whether the caller may use `route`; fills in who is calling.
Status authorize(const Server& server, Request& req, const Route& route) {
  if (route.access == Access::kPublic || !server.authenticator()) return {};
  auto principal = server.authenticator()(req, route.access);
  if (!principal.ok()) return principal.status();
  req.principal = std::move(*principal);
  req.actor = req.principal->key_id;
  return {};
}

// Closing a socket whose receive queue holds unread bytes makes the kernel send a reset, which can destroy the
// answer (a 413, say) before the client reads it, and the client still sending sees a broken pipe. So, as nginx's
// lingering_close does, read and discard what the client still sends, bounded in time and bytes, before closing.
// Over TLS the discarded bytes are records, read from the TCP stream undecrypted.
asio::awaitable<void> linger(beast::tcp_stream& stream) {
  constexpr auto kLingerTime = std::chrono::seconds(5);
  constexpr uint64_t kLingerBytes = 64ull << 20;
  std::array<char, 16384> scratch;
  uint64_t discarded = 0;
  stream.expires_after(kLingerTime);
  while (discarded < kLingerBytes) {
    boost::system::error_code ec;
    size_t n = co_await stream.async_read_some(asio::buffer(scratch), awaitable_ec(ec));
    if (ec) break;
    discarded += n;
  }
}

// Sends TLS's close_notify and waits briefly for the client's; a client that just closes ends the wait at once.
asio::awaitable<void> shutdown_tls(TlsStream& stream) {
  constexpr auto kTlsShutdownTime = std::chrono::seconds(2);
  boost::system::error_code ignored;
  tcp_of(stream).expires_after(kTlsShutdownTime);
  co_await stream.async_shutdown(awaitable_ec(ignored));
}

template <class Stream>
asio::awaitable<void> serve(Server& server, Stream& stream) {
  const ServerOptions& opt = server.options();
  std::string remote;
  {
    boost::system::error_code ec;
    auto ep = tcp_of(stream).socket().remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  auto handle = std::make_shared<SessionHandle>(SessionHandle{tcp_of(stream).get_executor()});
  handle->stream = &tcp_of(stream);
  server.register_session(handle);
  beast::flat_buffer buffer;
  if constexpr (kIsTls<Stream>) {
    // A client that cannot finish the handshake in time, or speaks plain HTTP to this port, is just closed.
    boost::system::error_code ec;
    tcp_of(stream).expires_after(opt.header_timeout);
    co_await stream.async_handshake(asio::ssl::stream_base::server, awaitable_ec(ec));
    if (ec) {
      tcp_of(stream).socket().close(ec);
      handle->alive = false;
      handle->stream = nullptr;
      server.unregister_session(handle);
      co_return;
    }
  }
  if (server.session_count() > static_cast<size_t>(opt.max_connections)) {
    // Over the connection limit: answer at once instead of queueing, and close.
    Request req;
    req.request_id = next_request_id();
    Response res = Response::error(unavailable("the server has " + std::to_string(opt.max_connections) +
                                               " connections open (limits.max_connections); retry shortly"));
    res.headers.emplace_back("Retry-After", "1");
    boost::system::error_code ec;
    uint64_t out = 0;
    co_await write_response(stream, req, res, false, ec, &out);
    handle->stream = nullptr;
    server.unregister_session(handle);
    co_return;
  }

  bool unread_body = false;  // the last answer was sent before its request body was read
  for (;;) {
    if (server.draining()) break;
    boost::system::error_code ec;
    bhttp::request_parser<bhttp::empty_body> header_parser;
    header_parser.header_limit(static_cast<uint32_t>(opt.max_header_bytes));
    // Beast checks a declared Content-Length against this parser's limit while reading the header; the route's
    // own limit is applied below, so this one must not interfere. (boost::none is broken in Beast 1.74.)
    header_parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    // The idle timeout covers waiting for a request; once bytes arrive the header must complete in time.
    tcp_of(stream).expires_after(buffer.size() > 0 ? opt.header_timeout : opt.idle_timeout);
    co_await bhttp::async_read_header(stream, buffer, header_parser, awaitable_ec(ec));
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        Request req;
        req.request_id = next_request_id();
        Response res = Response::error(payload_too_large(
            "request headers exceed " + std::to_string(opt.max_header_bytes) + " bytes (limits.max_header_bytes)"));
        uint64_t out = 0;
        co_await write_response(stream, req, res, false, ec, &out);
        unread_body = !ec;
      } else if (ec != bhttp::error::end_of_stream && ec != asio::error::operation_aborted &&
                 ec != beast::error::timeout && ec != asio::error::connection_reset && ec != asio::error::eof &&
                 ec != asio::ssl::error::stream_truncated) {
        Request req;
        req.request_id = next_request_id();
        Response res = Response::error(invalid_argument("malformed HTTP request: " + ec.message()));
        uint64_t out = 0;
        co_await write_response(stream, req, res, false, ec, &out);
        unread_body = !ec;
      }
      break;
    }
    handle->busy = true;
    auto started = std::chrono::steady_clock::now();
    const auto& header = header_parser.get();
    Status parse_error;
    Request req = make_request(header, remote, &parse_error);
    bool has_body = header_parser.content_length().value_or(0) > 0 || header_parser.chunked();
    Outcome outcome;
    uint64_t bytes_in = 0;

    RouteMatch match;
    if (parse_error.ok()) match = server.router().match(req.method, req.path);
    if (!parse_error.ok()) {
      outcome = {Response::error_for(req.path, parse_error), has_body};
    } else if (match.route == nullptr) {
      if (!match.allowed_methods.empty()) {
        std::string allow;
        for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
        outcome.response = Response::error_for(
            req.path,
            Status(StatusCode::kMethodNotAllowed, req.method + " is not allowed on " + req.path + "; use " + allow));
        outcome.response.headers.emplace_back("Allow", allow);
      } else {
        outcome.response = Response::error_for(req.path, not_found("no route for " + req.method + " " + req.path));
      }
      outcome.close = has_body;
    } else if (auto denied = authorize(server, req, *match.route); !denied.ok()) {
      req.route = match.route->pattern;  // metrics and the log center count refusals by route too
      req.log_fields.rejection_reason =
          denied.code() == StatusCode::kUnauthenticated ? "unauthenticated" : "permission_denied";
      outcome.response = Response::error_for(req.path, denied);
      if (denied.code() == StatusCode::kUnauthenticated) {
        outcome.response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"maas\"");
      }
      outcome.close = has_body;
    } else {
      req.path_params = std::move(match.params);
      const Route& route = *match.route;
      req.route = route.pattern;
      bool streamed = route.body_mode == BodyMode::kStreamed;
      const bool large = route.body_mode == BodyMode::kBufferedLarge;
      uint64_t limit = streamed ? opt.max_streamed_body_bytes
                       : large  ? opt.max_infer_body_bytes
                                : opt.max_json_body_bytes;
      const char* limit_name = streamed ? " (limits.max_artifact_bytes)"
                               : large  ? " (limits.max_infer_body_bytes)"
                                        : " (limits.max_json_body_bytes)";
      req.deadline = started + (streamed ? opt.upload_timeout : opt.request_timeout);
      auto declared = header_parser.content_length();
      if (declared && *declared > limit) {
        outcome = {Response::error_for(req.path, payload_too_large("the request body is " + std::to_string(*declared) +
                                                                   " bytes; the limit for this endpoint is " +
                                                                   std::to_string(limit) + limit_name)),
                   true};
      } else {
        if (header[bhttp::field::expect] == "100-continue" && has_body) {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
          co_await bhttp::async_write(stream, cont, awaitable_ec(ec));
          if (ec) break;
        }
        if (streamed) {
          bhttp::request_parser<bhttp::buffer_body> body_parser(std::move(header_parser));
          body_parser.body_limit(std::numeric_limits<std::uint64_t>::max());
          ParserBodyStream<Stream> body(stream, buffer, body_parser, opt.idle_timeout);
          req.body_stream = &body;
          try {
            outcome.response = co_await route.handler(req);
          } catch (const std::exception& e) {
            spdlog::error("handler {} {} threw: {}", req.method, route.pattern, e.what());
            outcome.response =
                Response::error_for(req.path, internal_error("unexpected server error; see the server log"));
          }
          req.body_stream = nullptr;
          outcome.close = body.failed() || !body_parser.is_done();
          bytes_in = header_parser.content_length().value_or(0);
        } else {
          bhttp::request_parser<bhttp::string_body> body_parser(std::move(header_parser));
          body_parser.body_limit(limit);
          if (has_body) {
            tcp_of(stream).expires_after(opt.request_timeout);
            co_await bhttp::async_read(stream, buffer, body_parser, awaitable_ec(ec));
          }
          if (ec == bhttp::error::body_limit) {
            outcome = {Response::error_for(req.path, payload_too_large("the request body is over " +
                                                                       std::to_string(limit) + " bytes" + limit_name)),
                       true};
          } else if (ec) {
            break;  // the client went away or stalled mid-body: nobody to answer
          } else {
            req.body = std::move(body_parser.get().body());
            bytes_in = req.body.size();
            try {
              outcome.response = co_await route.handler(req);
            } catch (const std::exception& e) {
              spdlog::error("handler {} {} threw: {}", req.method, route.pattern, e.what());
              outcome.response =
                  Response::error_for(req.path, internal_error("unexpected server error; see the server log"));
            }
          }
        }
      }
    }

    // Observed before the answer goes out, so that whoever gets it and asks next (the audit log, say) sees it.
    if (server.observer()) {
      server.observer()(req, outcome.response.status,
                        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
    }
    bool keep_alive = header.keep_alive() && !outcome.close && !server.draining();
    uint64_t bytes_out = 0;
    co_await write_response(stream, req, outcome.response, keep_alive, ec, &bytes_out);
    log_access(req, outcome.response.status, bytes_in, bytes_out, started);
    if (opt.on_request_done) {
      opt.on_request_done(CompletedRequest{req, outcome.response.status, bytes_in, bytes_out,
                                           std::chrono::steady_clock::now() - started});
    }
    handle->busy = false;
    if (!ec && outcome.close) unread_body = true;
    if (ec || !keep_alive) break;
  }

  if constexpr (kIsTls<Stream>) {
    // With unread request bytes queued, close_notify would wait behind them; lingering handles that case.
    if (!unread_body) co_await shutdown_tls(stream);
  }
  boost::system::error_code ignored;
  tcp_of(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (unread_body) co_await linger(tcp_of(stream));
  handle->alive = false;
  handle->stream = nullptr;
  server.unregister_session(handle);
}

}  // namespace

asio::awaitable<void> serve_connection(Server& server, tcp::socket socket) {
  // Taken once: a certificate reloaded later serves connections accepted later; this one keeps its context.
  std::shared_ptr<asio::ssl::context> tls = server.tls_context();
  if (!tls) {
    beast::tcp_stream stream(std::move(socket));
    co_await serve(server, stream);
    co_return;
  }
  TlsStream stream(std::move(socket), *tls);
  co_await serve(server, stream);
}

}  // namespace maas::http
