// Boost.Beast implementation of HttpClient. Beast's timeouts apply only to asynchronous operations, so each step
// starts one and runs the io_context until it completes: blocking for the caller, yet bounded in time.
#include "cli/http_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace maas::cli {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr uint32_t kMaxHeaderBytes = 64 * 1024;
// After a failed upload write, how long to wait for the answer the server may have sent before closing.
constexpr std::chrono::seconds kEarlyResponseWait{5};

http::verb to_verb(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet:
      return http::verb::get;
    case HttpMethod::kPost:
      return http::verb::post;
    case HttpMethod::kPut:
      return http::verb::put;
    case HttpMethod::kPatch:
      return http::verb::patch;
    case HttpMethod::kDelete:
      return http::verb::delete_;
  }
  return http::verb::get;
}

// Methods a server may safely see twice; only these are retried after the request may have reached it.
bool is_idempotent(HttpMethod method) {
  return method == HttpMethod::kGet || method == HttpMethod::kPut || method == HttpMethod::kDelete;
}

HttpResponse head_of(const http::response_header<>& header) {
  HttpResponse response;
  response.status = static_cast<int>(header.result_int());
  response.content_type = std::string(header[http::field::content_type]);
  response.etag = std::string(header[http::field::etag]);
  response.request_id = std::string(header["X-Request-Id"]);
  const std::string_view length = header[http::field::content_length];
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), value);
  if (!length.empty() && ec == std::errc() && end == length.data() + length.size()) response.content_length = value;
  const std::string_view json_length = header["Inference-Header-Content-Length"];
  uint64_t json_bytes = 0;
  auto [json_end, json_ec] = std::from_chars(json_length.data(), json_length.data() + json_length.size(), json_bytes);
  if (!json_length.empty() && json_ec == std::errc() && json_end == json_length.data() + json_length.size()) {
    response.inference_header_content_length = json_bytes;
  }
  return response;
}

std::string format_seconds(std::chrono::milliseconds duration) {
  return fmt::format("{:g}s", static_cast<double>(duration.count()) / 1000.0);
}

}  // namespace

struct HttpClient::Impl {
  explicit Impl(HttpClientOptions o) : options(std::move(o)), target_prefix(options.server.base_path) {}

  HttpClientOptions options;
  std::string target_prefix;
  net::io_context ioc;
  // Recreated for each connection, so no state of a timed-out or closed socket leaks into the next one.
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  int responses_on_connection = 0;

  bool connected() const { return stream.has_value() && stream->socket().is_open(); }
  bool reusing_connection() const { return connected() && responses_on_connection > 0; }

  // Runs the one asynchronous operation that `start` initiates to completion and returns its error.
  template <typename Start>
  beast::error_code run(std::chrono::milliseconds timeout, Start&& start) {
    beast::error_code result;
    stream->expires_after(timeout);
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  Status connect() {
    close();
    // getaddrinfo cannot be interrupted, so resolving has no timeout of its own; addresses and /etc/hosts names
    // resolve at once.
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(options.server.host, std::to_string(options.server.port),
                           [&](beast::error_code e, tcp::resolver::results_type results) {
                             ec = e;
                             endpoints = std::move(results);
                           });
    ioc.restart();
    ioc.run();
    if (ec) return unavailable("cannot resolve '" + options.server.host + "': " + ec.message());

    stream.emplace(ioc);
    ec = run(options.timeout, [&](auto handler) { stream->async_connect(endpoints, std::move(handler)); });
    if (ec) {
      close();
      return transport_error("connecting to", ec);
    }
    beast::error_code ignored;
    stream->socket().set_option(tcp::no_delay(true), ignored);
    responses_on_connection = 0;
    return {};
  }

  void close() {
    if (stream.has_value()) {
      beast::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->close();
      stream.reset();
    }
    buffer.clear();
  }

  // Keeps the connection for the next request unless the server asked to close it.
  void finish_exchange(bool keep_alive) {
    ++responses_on_connection;
    if (!keep_alive) close();
  }

  std::string target(std::string_view path) const { return target_prefix + std::string(path); }

  template <typename Body>
  void set_common_fields(http::request<Body>& request, std::string_view accept) const {
    request.set(http::field::host, options.server.authority());
    request.set(http::field::user_agent, options.user_agent);
    request.set(http::field::accept, accept);
    if (!options.api_key.empty()) request.set(http::field::authorization, "Bearer " + options.api_key);
  }

  template <typename Parser>
  void limit(Parser& parser) const {
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(options.max_response_bytes);
  }

  // `waited` is the timeout that ran out, when it was not options.timeout.
  Status transport_error(std::string_view doing, beast::error_code ec,
                         std::chrono::milliseconds waited = std::chrono::milliseconds(0)) const {
    const std::string server = options.server.to_string();
    if (ec == beast::error::timeout) {
      return deadline_exceeded(fmt::format("timed out after {} {} {} (see --timeout)",
                                           format_seconds(std::max(waited, options.timeout)), doing, server));
    }
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
      return unavailable(fmt::format("the server closed the connection while {} {}", doing, server));
    }
    if (ec == http::error::body_limit) {
      return internal_error(
          fmt::format("the response from {} is larger than {} bytes", server, options.max_response_bytes));
    }
    if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
      return internal_error(fmt::format("malformed HTTP response from {}: {}", server, ec.message()));
    }
    return unavailable(fmt::format("{} {}: {}", doing, server, ec.message()));
  }

  // Reads a whole response into a string body.
  Result<HttpResponse> read_response(std::chrono::milliseconds timeout) {
    http::response_parser<http::string_body> parser;
    limit(parser);
    const auto ec = run(timeout, [&](auto handler) { http::async_read(*stream, buffer, parser, std::move(handler)); });
    if (ec) {
      close();
      return transport_error("waiting for the response from", ec, timeout);
    }
    HttpResponse response = head_of(parser.get());
    response.body = std::move(parser.get().body());
    finish_exchange(parser.get().keep_alive());
    return response;
  }
};

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;

const HttpClientOptions& HttpClient::options() const { return impl_->options; }

Result<HttpResponse> HttpClient::send(HttpMethod method, std::string_view path, std::string_view content_type,
                                      std::string_view body, const RequestOptions& request_options) {
  Impl& impl = *impl_;
  http::request<http::string_body> request{to_verb(method), impl.target(path), 11};
  impl.set_common_fields(request, "application/json");
  if (!content_type.empty()) request.set(http::field::content_type, content_type);
  for (const auto& [name, value] : request_options.headers) request.set(name, value);
  const auto response_timeout = std::max(request_options.response_timeout, impl.options.timeout);
  request.body() = std::string(body);
  request.prepare_payload();

  for (int attempt = 0;; ++attempt) {
    // A server may close an idle keep-alive connection just as we reuse it; that is worth one fresh try.
    const bool may_retry = attempt == 0 && impl.reusing_connection();
    if (!impl.connected()) MAAS_RETURN_IF_ERROR(impl.connect());

    auto ec = impl.run(impl.options.timeout,
                       [&](auto handler) { http::async_write(*impl.stream, request, std::move(handler)); });
    if (ec) {
      impl.close();
      if (may_retry && ec != beast::error::timeout) continue;
      return impl.transport_error("sending the request to", ec);
    }

    http::response_parser<http::string_body> parser;
    impl.limit(parser);
    ec = impl.run(response_timeout,
                  [&](auto handler) { http::async_read(*impl.stream, impl.buffer, parser, std::move(handler)); });
    if (ec) {
      const bool nothing_received = !parser.got_some();
      impl.close();
      if (may_retry && nothing_received && is_idempotent(method) && ec != beast::error::timeout) continue;
      return impl.transport_error("waiting for the response from", ec, response_timeout);
    }
    HttpResponse response = head_of(parser.get());
    response.body = std::move(parser.get().body());
    impl.finish_exchange(parser.get().keep_alive());
    return response;
  }
}

Result<HttpResponse> HttpClient::send_streaming(HttpMethod method, std::string_view path, std::string_view content_type,
                                                uint64_t content_length, const BodySource& source,
                                                std::chrono::milliseconds response_timeout) {
  Impl& impl = *impl_;
  http::request<http::empty_body> request{to_verb(method), impl.target(path), 11};
  impl.set_common_fields(request, "application/json");
  request.set(http::field::content_type, content_type);
  request.content_length(content_length);

  // Only the header is retried: once the source has been read from, the body cannot be replayed.
  for (int attempt = 0;; ++attempt) {
    const bool may_retry = attempt == 0 && impl.reusing_connection();
    if (!impl.connected()) MAAS_RETURN_IF_ERROR(impl.connect());
    http::request_serializer<http::empty_body> serializer{request};
    const auto ec = impl.run(impl.options.timeout, [&](auto handler) {
      http::async_write_header(*impl.stream, serializer, std::move(handler));
    });
    if (!ec) break;
    impl.close();
    if (!(may_retry && ec != beast::error::timeout)) return impl.transport_error("sending the request to", ec);
  }

  std::vector<char> chunk(kStreamChunkBytes);
  uint64_t sent = 0;
  beast::error_code write_error;
  while (sent < content_length) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(chunk.size(), content_length - sent));
    auto got = source(chunk.data(), want);
    if (!got.ok()) {
      impl.close();
      return got.status();
    }
    if (*got == 0 || *got > want) {
      impl.close();
      return internal_error(fmt::format("the request body ended after {} of {} bytes", sent, content_length));
    }
    write_error = impl.run(impl.options.timeout, [&](auto handler) {
      net::async_write(*impl.stream, net::buffer(chunk.data(), *got), std::move(handler));
    });
    if (write_error) break;
    sent += *got;
  }

  if (write_error) {
    // The server may have answered early (an unknown model, a body over its limit) and closed; its answer says
    // more than "broken pipe" does.
    if (write_error != beast::error::timeout) {
      auto early = impl.read_response(kEarlyResponseWait);
      // The request was cut short, so this connection cannot carry another one.
      impl.close();
      if (early.ok()) return early;
    }
    impl.close();
    return impl.transport_error("sending the body to", write_error);
  }
  return impl.read_response(std::max(response_timeout, impl.options.timeout));
}

Result<HttpResponse> HttpClient::get_streaming(std::string_view path, const HeadCallback& on_head,
                                               const BodySink& sink) {
  return stream_response(HttpMethod::kGet, path, {}, {}, on_head, sink);
}

Result<HttpResponse> HttpClient::post_streaming(std::string_view path, std::string_view content_type,
                                                std::string_view body, const HeadCallback& on_head,
                                                const BodySink& sink) {
  return stream_response(HttpMethod::kPost, path, content_type, body, on_head, sink);
}

Result<HttpResponse> HttpClient::stream_response(HttpMethod method, std::string_view path, std::string_view content_type,
                                                 std::string_view body, const HeadCallback& on_head,
                                                 const BodySink& sink) {
  Impl& impl = *impl_;
  http::request<http::string_body> request{method == HttpMethod::kGet ? http::verb::get : http::verb::post,
                                           impl.target(path), 11};
  impl.set_common_fields(request, "*/*");
  if (method != HttpMethod::kGet) {
    if (!content_type.empty()) request.set(http::field::content_type, content_type);
    request.body() = std::string(body);
    request.prepare_payload();
  }

  // A parser cannot be reset, so each attempt gets a new one.
  std::optional<http::response_parser<http::buffer_body>> head_parser;
  for (int attempt = 0;; ++attempt) {
    const bool may_retry = attempt == 0 && impl.reusing_connection();
    if (!impl.connected()) MAAS_RETURN_IF_ERROR(impl.connect());
    head_parser.emplace();
    head_parser->header_limit(kMaxHeaderBytes);
    // A streamed body is bounded by the disk it lands on, not by memory. Not boost::none: Beast 1.74 compares
    // Content-Length against the optional and treats "none" as smaller than any length.
    head_parser->body_limit(std::numeric_limits<uint64_t>::max());
    auto ec = impl.run(impl.options.timeout,
                       [&](auto handler) { http::async_write(*impl.stream, request, std::move(handler)); });
    if (!ec) {
      ec = impl.run(impl.options.timeout, [&](auto handler) {
        http::async_read_header(*impl.stream, impl.buffer, *head_parser, std::move(handler));
      });
      if (!ec) break;
    }
    const bool nothing_received = !head_parser->got_some();
    impl.close();
    if (may_retry && nothing_received && ec != beast::error::timeout) continue;
    return impl.transport_error("waiting for the response from", ec);
  }
  auto& parser = *head_parser;

  HttpResponse head = head_of(parser.get());
  if (head.status < 200 || head.status >= 300) {
    if (parser.is_done()) {
      impl.finish_exchange(parser.get().keep_alive());
      return head;
    }
    // An error body is small JSON: switch to a string body, bounded like any other response.
    http::response_parser<http::string_body> error_parser{std::move(parser)};
    impl.limit(error_parser);
    const auto ec = impl.run(impl.options.timeout, [&](auto handler) {
      http::async_read(*impl.stream, impl.buffer, error_parser, std::move(handler));
    });
    if (ec) {
      impl.close();
      return impl.transport_error("receiving the response from", ec);
    }
    head.body = std::move(error_parser.get().body());
    impl.finish_exchange(error_parser.get().keep_alive());
    return head;
  }

  if (Status status = on_head(head); !status.ok()) {
    impl.close();
    return status;
  }
  std::vector<char> chunk(kStreamChunkBytes);
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    // read_some: hand over what has come (a server-sent event may be a few bytes) instead of waiting for a full chunk.
    auto ec = impl.run(impl.options.timeout, [&](auto handler) {
      http::async_read_some(*impl.stream, impl.buffer, parser, std::move(handler));
    });
    // need_buffer only says the chunk is full: hand it over and read on.
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      impl.close();
      return impl.transport_error("receiving the body from", ec);
    }
    const size_t received = chunk.size() - parser.get().body().size;
    if (received > 0) {
      if (Status status = sink(chunk.data(), received); !status.ok()) {
        impl.close();
        return status;
      }
    }
  }
  impl.finish_exchange(parser.get().keep_alive());
  return head;
}

}  // namespace maas::cli
