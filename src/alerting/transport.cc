#include "alerting/transport.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "common/http_client.h"

namespace maas::alerting {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

}  // namespace

Status post_json(const std::string& url, const std::string& body, std::chrono::milliseconds timeout,
                 const OutboundPolicy* outbound) {
  MAAS_ASSIGN_OR_RETURN(HttpResponse res, http_request("POST", url, {{"Content-Type", "application/json"}}, body,
                                                       timeout, 1 << 20, outbound));
  if (res.status / 100 != 2) {
    return unavailable("POST " + url + " answered " + std::to_string(res.status) + ": " + res.body.substr(0, 200));
  }
  return {};
}

Status send_mail(const std::string& smarthost, const std::string& from, const std::string& to, const std::string& subject,
                 const std::string& body, std::chrono::milliseconds timeout, const OutboundPolicy* outbound) {
  size_t colon = smarthost.rfind(':');
  if (colon == std::string::npos) return invalid_argument("smarthost '" + smarthost + "' is not host:port");
  asio::io_context io;
  tcp::socket socket(io);
  MAAS_RETURN_IF_ERROR(connect_bounded(socket, smarthost.substr(0, colon), smarthost.substr(colon + 1), timeout,
                                       outbound));
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
