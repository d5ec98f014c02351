// A small blocking HTTP/1.1 client for maasd's outbound calls (webhooks, Alertmanager, a remote Loki): plain
// http:// only, every step (connect, each read and write) bounded by a timeout. Call it off the I/O threads.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "common/outbound_policy.h"
#include "common/status.h"

namespace maas {

struct HttpEndpoint {
  std::string host, port, target;  // target: the path and query, "/" at least
};

// "http://host[:port][/path]" (an IPv6 host in brackets; `host` is returned without them). INVALID_ARGUMENT for
// another scheme, no host, or user information ("user@host").
Result<HttpEndpoint> parse_http_url(const std::string& url);

// Connects `socket` to host:port; afterwards every read and write on it is bounded by `timeout`. With a `policy`,
// only the addresses the name resolved to that it allows are tried: PERMISSION_DENIED when it allows none.
// UNAVAILABLE naming the address when it cannot connect.
Status connect_bounded(boost::asio::ip::tcp::socket& socket, const std::string& host, const std::string& port,
                       std::chrono::milliseconds timeout, const OutboundPolicy* policy = nullptr);

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// One request on its own connection. Any answer is a response (the caller judges the status); UNAVAILABLE when
// the server cannot be reached, or the exchange fails or times out; RESOURCE_EXHAUSTED past `max_response_bytes`;
// PERMISSION_DENIED when `policy` refuses every address of the host.
Result<HttpResponse> http_request(const std::string& method, const std::string& url, const HttpHeaders& headers,
                                  const std::string& body, std::chrono::milliseconds timeout,
                                  size_t max_response_bytes = 64ull << 20, const OutboundPolicy* policy = nullptr);

}  // namespace maas
