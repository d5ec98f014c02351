// A blocking HTTP/1.1 client for one maas server over one keep-alive TCP connection, with timeouts, bounded
// response bodies, and streamed request and response bodies for artifacts.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/url.h"
#include "common/status.h"

namespace maas::cli {

enum class HttpMethod { kGet, kPost, kPut, kPatch, kDelete };

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string etag;
  std::string request_id;  // X-Request-Id, to quote when reporting a server bug
  std::optional<uint64_t> content_length;
  // The Open Inference Protocol's binary extension: the body is this many bytes of JSON, then binary tensors.
  std::optional<uint64_t> inference_header_content_length;
  std::string body;  // empty when the body was streamed to a sink
};

// What one `send` needs beyond the client's options.
struct RequestOptions {
  std::vector<std::pair<std::string, std::string>> headers;  // added to the request as they are
  // How long to wait for the response once the request is sent, when longer than HttpClientOptions::timeout
  // (loading a model or running a long inference makes the server think before it answers).
  std::chrono::milliseconds response_timeout{0};
};

struct HttpClientOptions {
  ServerUrl server;
  std::string api_key;  // sent as `Authorization: Bearer <key>` when not empty
  // Bounds connecting and each read or write, not a whole transfer: a large upload that keeps moving never times out.
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  uint64_t max_response_bytes = 64ull << 20;
  std::string user_agent = "maas-cli";
};

// Fills `buffer` with the next bytes of a request body and says how many; it is asked only while bytes remain.
using BodySource = std::function<Result<size_t>(char* buffer, size_t capacity)>;
// Takes the next bytes of a streamed response body.
using BodySink = std::function<Status(const char* data, size_t size)>;
// Sees a 2xx response's headers before its body streams; an error stops the transfer.
using HeadCallback = std::function<Status(const HttpResponse& head)>;

// Errors: cannot connect or connection lost -> UNAVAILABLE; a timeout -> DEADLINE_EXCEEDED; a malformed or
// oversized response -> INTERNAL; an error from a source, sink or callback is returned as it is. A non-2xx
// response is not an error here: it is returned for the caller to decode.
//
// Connects on first use and keeps the connection for the next request until the server says `Connection: close`.
// A request on a reused connection that the server had already closed is retried once on a new one when that is
// safe (nothing of it was processed). Not thread-safe: one client per thread.
class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  const HttpClientOptions& options() const;

  // `path` is the target below the server's base path, query included ("/api/v1/models?limit=5"). The whole
  // response body is read, up to max_response_bytes.
  Result<HttpResponse> send(HttpMethod method, std::string_view path, std::string_view content_type = {},
                            std::string_view body = {}, const RequestOptions& request_options = {});

  // Sends exactly `content_length` bytes pulled from `source` in chunks of kStreamChunkBytes, then waits up to
  // `response_timeout` for the response (the server may validate the whole body before it answers).
  Result<HttpResponse> send_streaming(HttpMethod method, std::string_view path, std::string_view content_type,
                                      uint64_t content_length, const BodySource& source,
                                      std::chrono::milliseconds response_timeout);

  // GETs `path`; a 2xx body goes to `sink` in chunks (after `on_head`) and is never held whole. Any other
  // response is read into `body` as `send` does.
  Result<HttpResponse> get_streaming(std::string_view path, const HeadCallback& on_head, const BodySink& sink);

  // POSTs `body`; a 2xx response body goes to `sink` as it arrives (server-sent events), like get_streaming.
  Result<HttpResponse> post_streaming(std::string_view path, std::string_view content_type, std::string_view body,
                                      const HeadCallback& on_head, const BodySink& sink);

  static constexpr size_t kStreamChunkBytes = 1 << 20;

 private:
  Result<HttpResponse> stream_response(HttpMethod method, std::string_view path, std::string_view content_type,
                                       std::string_view body, const HeadCallback& on_head, const BodySink& sink);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace maas::cli
