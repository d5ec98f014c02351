// A small blocking HTTP/1.1 client for maasd's outbound calls (webhooks, Alertmanager, a remote Loki): plain
// http:// only, every step (connect, each read and write) bounded by a timeout. Call it off the I/O threads.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "common/status.h"

namespace maas {

struct HttpEndpoint {
  std::string host, port, target;  // target: the path and query, "/" at least
};

// "http://host[:port][/path]". INVALID_ARGUMENT for another scheme or no host.
Result<HttpEndpoint> parse_http_url(const std::string& url);

// Connects `socket` to host:port; afterwards every read and write on it is bounded by `timeout`.
// UNAVAILABLE naming the address when it cannot connect.
Status connect_bounded(boost::asio::ip::tcp::socket& socket, const std::string& host, const std::string& port,
                       std::chrono::milliseconds timeout);

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// One request on its own connection. Any answer is a response (the caller judges the status); UNAVAILABLE when
// the server cannot be reached, or the exchange fails or times out; RESOURCE_EXHAUSTED past `max_response_bytes`.
Result<HttpResponse> http_request(const std::string& method, const std::string& url, const HttpHeaders& headers,
                                  const std::string& body, std::chrono::milliseconds timeout,
                                  size_t max_response_bytes = 64ull << 20);

}  // namespace maas
