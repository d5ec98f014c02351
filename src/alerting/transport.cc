#include "alerting/transport.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace maas::alerting {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

struct Endpoint {
  std::string host, port, target;
};

Result<Endpoint> parse_http_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return invalid_argument("'" + url + "' is not an http:// URL");
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  Endpoint e{authority, "80", slash == std::string::npos ? "/" : rest.substr(slash)};
  if (size_t colon = authority.rfind(':'); colon != std::string::npos) {
    e.host = authority.substr(0, colon);
    e.port = authority.substr(colon + 1);
  }
  if (e.host.empty()) return invalid_argument("'" + url + "' has no host");
  return e;
}

// Connects with every later read and write bounded by `timeout` (SO_RCVTIMEO / SO_SNDTIMEO on the socket).
Status connect(tcp::socket& socket, const std::string& host, const std::string& port, std::chrono::milliseconds timeout) {
  boost::system::error_code ec;
  tcp::resolver resolver(socket.get_executor());
  auto endpoints = resolver.resolve(host, port, ec);
  if (!ec) asio::connect(socket, endpoints, ec);
  if (ec) return unavailable("cannot connect to " + host + ":" + port + ": " + ec.message());
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  return {};
}

}  // namespace

Status post_json(const std::string& url, const std::string& body, std::chrono::milliseconds timeout) {
  MAAS_ASSIGN_OR_RETURN(Endpoint e, parse_http_url(url));
  asio::io_context io;
  tcp::socket socket(io);
  MAAS_RETURN_IF_ERROR(connect(socket, e.host, e.port, timeout));
  http::request<http::string_body> req{http::verb::post, e.target, 11};
  req.set(http::field::host, e.host + ":" + e.port);
  req.set(http::field::user_agent, "maasd-alerting");
  req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  boost::system::error_code ec;
  http::write(socket, req, ec);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  if (!ec) http::read(socket, buffer, res, ec);
  if (ec) return unavailable("POST " + url + ": " + ec.message());
  if (res.result_int() / 100 != 2) {
    return unavailable("POST " + url + " answered " + std::to_string(res.result_int()) + ": " + res.body().substr(0, 200));
  }
  return {};
}

Status send_mail(const std::string& smarthost, const std::string& from, const std::string& to, const std::string& subject,
                 const std::string& body, std::chrono::milliseconds timeout) {
  size_t colon = smarthost.rfind(':');
  if (colon == std::string::npos) return invalid_argument("smarthost '" + smarthost + "' is not host:port");
  asio::io_context io;
  tcp::socket socket(io);
  MAAS_RETURN_IF_ERROR(connect(socket, smarthost.substr(0, colon), smarthost.substr(colon + 1), timeout));
  asio::streambuf in;
  // Reads one reply (the last line of a multi-line one is "NNN text") and checks its code class.
  auto expect = [&](char klass, const std::string& step) -> Status {
    for (;;) {
      boost::system::error_code ec;
      asio::read_until(socket, in, "\r\n", ec);
      if (ec) return unavailable("SMTP " + step + " to " + smarthost + ": " + ec.message());
      std::istream stream(&in);
      std::string line;
      std::getline(stream, line);
      if (line.size() < 4) return unavailable("SMTP " + step + ": malformed reply '" + line + "'");
      if (line[3] == '-') continue;
      if (line[0] != klass) return unavailable("SMTP " + step + " refused: " + line);
      return {};
    }
  };
  auto say = [&](const std::string& text, char klass, const std::string& step) -> Status {
    boost::system::error_code ec;
    asio::write(socket, asio::buffer(text), ec);
    if (ec) return unavailable("SMTP " + step + " to " + smarthost + ": " + ec.message());
    return expect(klass, step);
  };
  MAAS_RETURN_IF_ERROR(expect('2', "greeting"));
  MAAS_RETURN_IF_ERROR(say("HELO maasd\r\n", '2', "HELO"));
  MAAS_RETURN_IF_ERROR(say("MAIL FROM:<" + from + ">\r\n", '2', "MAIL FROM"));
  MAAS_RETURN_IF_ERROR(say("RCPT TO:<" + to + ">\r\n", '2', "RCPT TO"));
  MAAS_RETURN_IF_ERROR(say("DATA\r\n", '3', "DATA"));
  std::string message = "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject +
                        "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
  // Dot-stuffing: a line that starts with '.' gets another.
  size_t line_start = 0;
  for (size_t i = 0; i <= body.size(); ++i) {
    if (i == body.size() || body[i] == '\n') {
      std::string line = body.substr(line_start, i - line_start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      message += (line.rfind('.', 0) == 0 ? "." : "") + line + "\r\n";
      line_start = i + 1;
    }
  }
  MAAS_RETURN_IF_ERROR(say(message + ".\r\n", '2', "message"));
  boost::system::error_code ignored;
  asio::write(socket, asio::buffer(std::string("QUIT\r\n")), ignored);
  return {};
}

}  // namespace maas::alerting
