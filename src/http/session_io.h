// The reading and writing a connection is served with (private to the http component, used by session.cc):
// pulling a streamed request body out of the parser, writing a response (a string, a file, or chunks as they are
// produced; headers only for HEAD), and closing without destroying the answer. Templates over the stream type,
// plain TCP or TLS; timeouts and closing act on the TCP stream underneath.
//
// Everything here runs on the connection's loop and lives no longer than the connection's coroutine.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it
#include <vector>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "http/request.h"

namespace maas::http::internal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

using TlsStream = beast::ssl_stream<beast::tcp_stream>;
template <class Stream>
constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;
template <class Stream>
beast::tcp_stream& tcp_of(Stream& stream) {
  return beast::get_lowest_layer(stream);
}

inline auto awaitable_ec(boost::system::error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

// Streams the body of the current request out of the Beast parser, one chunk at a time.
template <class Stream>
class ParserBodyStream final : public BodyStream {
 public:
  static constexpr size_t kChunkBytes = 1 << 20;

  ParserBodyStream(Stream& stream, beast::flat_buffer& buffer, bhttp::request_parser<bhttp::buffer_body>& parser,
                   std::chrono::milliseconds idle_timeout)
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

// Writes `msg` whole, or only its status line and headers (a HEAD request: the same headers, Content-Length
// included, and no body).
template <class Stream, class Message>
asio::awaitable<void> write_message(Stream& stream, Message& msg, bool headers_only, boost::system::error_code& ec) {
  if (!headers_only) {
    co_await bhttp::async_write(stream, msg, awaitable_ec(ec));
    co_return;
  }
  bhttp::serializer<false, typename Message::body_type, typename Message::fields_type> serializer(msg);
  co_await bhttp::async_write_header(stream, serializer, awaitable_ec(ec));
}

// Writes `res` (for a HEAD request, `head`: headers only, and a streamed body's producer is never run).
template <class Stream>
asio::awaitable<void> write_response(Stream& stream, const Request& req, Response& res, bool keep_alive, bool head,
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
    if (ec || head) co_return;
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
      *bytes_out = head ? 0 : msg.body().size();
      // Large downloads: the write timeout applies per chunk, not to the whole file.
      tcp_of(stream).expires_never();
      co_await write_message(stream, msg, head, ec);
      co_return;
    }
  }
  bhttp::response<bhttp::string_body> msg;
  fill(msg);
  msg.body() = std::move(res.body);
  msg.prepare_payload();
  *bytes_out = head ? 0 : msg.body().size();
  co_await write_message(stream, msg, head, ec);
}

// Closing a socket whose receive queue holds unread bytes makes the kernel send a reset, which can destroy the
// answer (a 413, say) before the client reads it, and the client still sending sees a broken pipe. So, as nginx's
// lingering_close does, read and discard what the client still sends, bounded in time and bytes, before closing.
// Over TLS the discarded bytes are records, read from the TCP stream undecrypted.
inline asio::awaitable<void> linger(beast::tcp_stream& stream) {
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
inline asio::awaitable<void> shutdown_tls(TlsStream& stream) {
  constexpr auto kTlsShutdownTime = std::chrono::seconds(2);
  boost::system::error_code ignored;
  tcp_of(stream).expires_after(kTlsShutdownTime);
  co_await stream.async_shutdown(awaitable_ec(ignored));
}

}  // namespace maas::http::internal
