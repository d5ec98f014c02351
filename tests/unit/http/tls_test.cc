// The server over TLS, against a real listener on a loopback port: requests and streamed responses, plain HTTP
// to the TLS port closed without harm, bad certificate files refused by name, and a reload that new connections
// see while an open connection keeps its certificate.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "http/router.h"
#include "http/server.h"
#include "test_routes.h"

namespace maas::http {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// Two self-signed P-256 certificates for IP 127.0.0.1 (CN maas-unit-test-a / -b), valid for a century.
constexpr const char* kCertA = R"pem(-----BEGIN CERTIFICATE-----
MIIBnzCCAUSgAwIBAgIUMwxEGvGnjJjZgqAQ50l19mUwtigwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQbWFhcy11bml0LXRlc3QtYTAgFw0yNjExMjYwNDU0MzhaGA8y
MTI2MTEwMjA0NTQzOFowGzEZMBcGA1UEAwwQbWFhcy11bml0LXRlc3QtYTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABFa8Z9rcS8TbtY3IJ5k58VVgjkZH2xFa4Bqo
Eo7zD6uc0FG34Z+tLgIXK4hsK1XsLNu0TCGjsWHHFpwyWZa1u4ujZDBiMB0GA1Ud
DgQWBBSo4uicgRafD7R6ahio5DwGOZ3QIzAfBgNVHSMEGDAWgBSo4uicgRafD7R6
ahio5DwGOZ3QIzAPBgNVHRMBAf8EBTADAQH/MA8GA1UdEQQIMAaHBH8AAAEwCgYI
KoZIzj0EAwIDSQAwRgIhAIGM9wUIBmVL4Cs9t+kbgzvKFj4lFeB/m8VVSt9O86B4
AiEA1sUc/yMd1GgzB47YGjFGiLNdwDPuVzpLZH2tTV5pkXg=
-----END CERTIFICATE-----
)pem";
constexpr const char* kKeyA = R"pem(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgyH0I6f383Z7tySqp
NsSavEWYYNaNb+H1UbqEwQ2Iq7ihRANCAARWvGfa3EvE27WNyCeZOfFVYI5GR9sR
WuAaqBKO8w+rnNBRt+GfrS4CFyuIbCtV7CzbtEwho7FhxxacMlmWtbuL
-----END PRIVATE KEY-----
)pem";
constexpr const char* kCertB = R"pem(-----BEGIN CERTIFICATE-----
MIIBnzCCAUSgAwIBAgIUIw0FWEKCIg0mf7w3S/B0aKeGWtcwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQbWFhcy11bml0LXRlc3QtYjAgFw0yNjExMjYwNDU0MzhaGA8y
MTI2MTEwMjA0NTQzOFowGzEZMBcGA1UEAwwQbWFhcy11bml0LXRlc3QtYjBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABJJ4YY6XFafJwCz8kH9aCXbK0cRBTE+34Qxn
EEEEtmt+hM3R6gR3uj3plbJeHYCJgKudGR/MlLeH/L47kzEgsFmjZDBiMB0GA1Ud
DgQWBBS8ATSTSXvY+4ODxM95BW0XDnWExDAfBgNVHSMEGDAWgBS8ATSTSXvY+4OD
xM95BW0XDnWExDAPBgNVHRMBAf8EBTADAQH/MA8GA1UdEQQIMAaHBH8AAAEwCgYI
KoZIzj0EAwIDSQAwRgIhAMfGk9tHYPMfCSX+OaCDI0YYYa3MZQSm1454G3P9x1ca
AiEAufIqA6h8MABa0qmxYHYdHx+r6e8fTdvXvG2cEIB3CUI=
-----END CERTIFICATE-----
)pem";
constexpr const char* kKeyB = R"pem(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjgLalZRe4OS+STDb
rFlI3ooqA3svec74D0PZLZ6czpahRANCAASSeGGOlxWnycAs/JB/Wgl2ytHEQUxP
t+EMZxBBBLZrfoTN0eoEd7o96ZWyXh2AiYCrnRkfzJS3h/y+O5MxILBZ
-----END PRIVATE KEY-----
)pem";

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

class TlsServer : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("maas-tls-test-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    write_file(dir_ / "cert.pem", kCertA);
    write_file(dir_ / "key.pem", kKeyA);
    test_support::add_events_and_plain_routes(router_);
  }
  void TearDown() override {
    if (server_ && thread_.joinable()) server_->begin_shutdown();
    if (thread_.joinable()) thread_.join();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  ServerOptions options() const {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.drain_timeout = std::chrono::milliseconds(2000);
    options.threads = 2;  // connections alternate between the main loop and another
    options.tls_cert_file = (dir_ / "cert.pem").string();
    options.tls_key_file = (dir_ / "key.pem").string();
    return options;
  }
  void start() {
    server_ = std::make_unique<Server>(options(), router_);
    ASSERT_TRUE(server_->start().ok());
    thread_ = std::thread([this] { server_->run(); });
  }

  // A client that trusts only `ca_pem` and checks that the certificate names 127.0.0.1.
  std::unique_ptr<ssl::stream<tcp::socket>> connect_tls(const char* ca_pem) {
    client_ctx_ = std::make_unique<ssl::context>(ssl::context::tls_client);
    client_ctx_->add_certificate_authority(asio::buffer(std::string_view(ca_pem)));
    client_ctx_->set_verify_mode(ssl::verify_peer);
    client_ctx_->set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    auto stream = std::make_unique<ssl::stream<tcp::socket>>(client_io_, *client_ctx_);
    stream->next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    stream->handshake(ssl::stream_base::client);
    return stream;
  }

  std::filesystem::path dir_;
  Router router_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  asio::io_context client_io_;
  std::unique_ptr<ssl::context> client_ctx_;
};

TEST_F(TlsServer, StreamsChunksAndKeepsTheConnection) {
  start();
  auto stream = connect_tls(kCertA);
  auto res = test_support::get(*stream, "/events");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_TRUE(res.chunked());
  EXPECT_EQ(res[bhttp::field::content_type], "text/event-stream");
  EXPECT_EQ(res.body(), "data: 0\n\ndata: 1\n\ndata: 2\n\n");
  EXPECT_TRUE(res.keep_alive());
  auto again = test_support::get(*stream, "/plain");
  EXPECT_EQ(again.result_int(), 200);
  EXPECT_EQ(again.body(), R"({"a":1})");
}

TEST_F(TlsServer, ClosesPlainHttpAndKeepsServingTls) {
  start();
  {
    tcp::socket plain(client_io_);
    plain.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/plain", 11};
    req.set(bhttp::field::host, "test");
    bhttp::write(plain, req);
    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    boost::system::error_code ec;
    bhttp::read(plain, buffer, res, ec);
    EXPECT_TRUE(ec) << "plain HTTP was answered over the TLS port";
  }
  auto stream = connect_tls(kCertA);
  EXPECT_EQ(test_support::get(*stream, "/plain").result_int(), 200);
}

TEST_F(TlsServer, RefusesBadFilesNamingTheSetting) {
  write_file(dir_ / "cert.pem", "not a certificate");
  Server bad_cert(options(), router_);
  auto s = bad_cert.start();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("server.tls_cert_file"), std::string::npos) << s.message();

  write_file(dir_ / "cert.pem", kCertA);
  write_file(dir_ / "key.pem", kKeyB);
  Server wrong_key(options(), router_);
  s = wrong_key.start();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("server.tls_key_file"), std::string::npos) << s.message();

  auto missing = options();
  missing.tls_key_file = (dir_ / "absent.pem").string();
  Server no_key(missing, router_);
  s = no_key.start();
  EXPECT_NE(s.message().find("server.tls_key_file"), std::string::npos) << s.message();
}

TEST_F(TlsServer, ReloadServesNewConnectionsAndKeepsOpenOnes) {
  start();
  auto old_connection = connect_tls(kCertA);
  EXPECT_EQ(test_support::get(*old_connection, "/plain").result_int(), 200);

  write_file(dir_ / "cert.pem", kCertB);
  write_file(dir_ / "key.pem", kKeyB);
  ASSERT_TRUE(server_->reload_tls().ok());
  auto fresh = connect_tls(kCertB);  // verifies against B only: throws if A is still served
  EXPECT_EQ(test_support::get(*fresh, "/plain").result_int(), 200);
  EXPECT_EQ(test_support::get(*old_connection, "/plain").result_int(), 200);

  // A bad file on reload keeps the current certificate.
  write_file(dir_ / "cert.pem", "garbage");
  auto s = server_->reload_tls();
  EXPECT_NE(s.message().find("server.tls_cert_file"), std::string::npos) << s.message();
  auto after_bad = connect_tls(kCertB);
  EXPECT_EQ(test_support::get(*after_bad, "/plain").result_int(), 200);
}

}  // namespace
}  // namespace maas::http
