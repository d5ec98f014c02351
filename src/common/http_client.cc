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
  HttpEndpoint e{authority, "80", slash == std::string::npos ? "/" : rest.substr(slash)};
  if (size_t colon = authority.rfind(':'); colon != std::string::npos) {
    e.host = authority.substr(0, colon);
    e.port = authority.substr(colon + 1);
  }
  if (e.host.empty()) return invalid_argument("'" + url + "' has no host");
  return e;
}

Status connect_bounded(tcp::socket& socket, const std::string& host, const std::string& port,
                       std::chrono::milliseconds timeout) {
  boost::system::error_code ec;
  tcp::resolver resolver(socket.get_executor());
  auto endpoints = resolver.resolve(host, port, ec);
  if (!ec) asio::connect(socket, endpoints, ec);
  if (ec) return unavailable("cannot connect to " + host + ":" + port + ": " + ec.message());
  // SO_RCVTIMEO / SO_SNDTIMEO bound each blocking read and write of the synchronous calls that follow.
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  return {};
}

Result<HttpResponse> http_request(const std::string& method, const std::string& url, const HttpHeaders& headers,
                                  const std::string& body, std::chrono::milliseconds timeout,
                                  size_t max_response_bytes) {
  MAAS_ASSIGN_OR_RETURN(HttpEndpoint e, parse_http_url(url));
  asio::io_context io;
  tcp::socket socket(io);
  MAAS_RETURN_IF_ERROR(connect_bounded(socket, e.host, e.port, timeout));
  beast_http::request<beast_http::string_body> req{beast_http::string_to_verb(method), e.target, 11};
  req.set(beast_http::field::host, e.host + ":" + e.port);
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
