#include "common/http_client.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace maas {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;
using tcp = asio::ip::tcp;

Result<HttpEndpoint> parse_http_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return invalid_argument("'" + url + "' is not an http:// URL");
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (authority.find('@') != std::string::npos) return invalid_argument("'" + url + "' has user information; drop it");
  HttpEndpoint e{authority, "80", slash == std::string::npos ? "/" : rest.substr(slash)};
  size_t colon = authority.rfind(':');
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) return invalid_argument("'" + url + "' has an unclosed '[' in its host");
    if (close + 1 < authority.size() && authority[close + 1] != ':') {
      return invalid_argument("'" + url + "' has text after its bracketed host");
    }
    e.host = authority.substr(1, close - 1);
    colon = close + 1 < authority.size() ? close + 1 : std::string::npos;
  } else if (colon != std::string::npos) {
    e.host = authority.substr(0, colon);
  }
  if (colon != std::string::npos) e.port = authority.substr(colon + 1);
  if (e.host.empty()) return invalid_argument("'" + url + "' has no host");
  return e;
}

Status connect_bounded(tcp::socket& socket, const std::string& host, const std::string& port,
                       std::chrono::milliseconds timeout, const OutboundPolicy* policy) {
  boost::system::error_code ec;
  tcp::resolver resolver(socket.get_executor());
  auto resolved = resolver.resolve(host, port, ec);
  if (ec) return unavailable("cannot connect to " + host + ":" + port + ": " + ec.message());
  // The addresses are judged as resolved and connected to as judged: no second lookup that could answer otherwise.
  std::vector<tcp::endpoint> endpoints;
  Status refused;
  for (const auto& entry : resolved) {
    Status s = policy ? policy->check_resolved(host, entry.endpoint().address()) : Status();
    if (s.ok()) {
      endpoints.push_back(entry.endpoint());
    } else if (refused.ok()) {
      refused = s;
    }
  }
  if (endpoints.empty() && !refused.ok()) return refused;
  asio::connect(socket, endpoints, ec);
  if (ec) return unavailable("cannot connect to " + host + ":" + port + ": " + ec.message());
  // SO_RCVTIMEO / SO_SNDTIMEO bound each blocking read and write of the synchronous calls that follow.
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  return {};
}

Result<HttpResponse> http_request(const std::string& method, const std::string& url, const HttpHeaders& headers,
                                  const std::string& body, std::chrono::milliseconds timeout,
                                  size_t max_response_bytes, const OutboundPolicy* policy) {
  MAAS_ASSIGN_OR_RETURN(HttpEndpoint e, parse_http_url(url));
  asio::io_context io;
  tcp::socket socket(io);
  MAAS_RETURN_IF_ERROR(connect_bounded(socket, e.host, e.port, timeout, policy));
  beast_http::request<beast_http::string_body> req{beast_http::string_to_verb(method), e.target, 11};
  bool v6 = e.host.find(':') != std::string::npos;
  req.set(beast_http::field::host, (v6 ? "[" + e.host + "]" : e.host) + ":" + e.port);
  req.set(beast_http::field::user_agent, "maasd");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  boost::system::error_code ec;
  beast_http::write(socket, req, ec);
  boost::beast::flat_buffer buffer;
  beast_http::response_parser<beast_http::string_body> parser;
  parser.body_limit(max_response_bytes);
  if (!ec) beast_http::read(socket, buffer, parser, ec);
  if (ec == beast_http::error::body_limit) {
    return resource_exhausted(method + " " + url + ": the answer is over " + std::to_string(max_response_bytes) + " bytes");
  }
  if (ec) return unavailable(method + " " + url + ": " + ec.message());
  auto& res = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  out.content_type = std::string(res[beast_http::field::content_type]);
  out.body = std::move(res.body());
  return out;
}

}  // namespace maas
