#include "common/outbound_policy.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "common/http_client.h"

namespace maas {
namespace {

using boost::asio::ip::make_address;

OutboundPolicy policy(const std::vector<std::string>& deny, const std::vector<std::string>& allow = {}) {
  auto p = OutboundPolicy::make(deny, allow);
  EXPECT_TRUE(p.ok()) << p.status().to_string();
  return p.ok() ? *p : OutboundPolicy();
}

TEST(OutboundPolicy, TheDefaultRefusesLinkLocalAndMetadataButNotLoopbackOrPrivate) {
  auto p = policy(OutboundPolicy::default_deny());
  for (const char* host : {"169.254.169.254", "[fe80::1]", "fe80::1%eth0", "0.0.0.0", "[::]", "100.100.100.200",
                           "[fd00:ec2::254]", "metadata.google.internal", "Metadata.Google.Internal.",
                           "[::ffff:169.254.169.254]", "[64:ff9b::a9fe:a9fe]", "2852039166", "0xa9fea9fe",
                           "169.254.43518"}) {
    Status s = p.check_host(host);
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << host;
  }
  EXPECT_NE(p.check_host("169.254.169.254").message().find("outbound.deny: 169.254.0.0/16"), std::string::npos);
  for (const char* host : {"127.0.0.1", "[::1]", "localhost", "10.1.2.3", "192.168.0.10", "hooks.example.com",
                           "[fd12::1]", "169.255.0.1"}) {
    EXPECT_TRUE(p.check_host(host).ok()) << host;
  }
}

TEST(OutboundPolicy, ResolvedAddressesAreJudgedWhateverTheName) {
  auto p = policy(OutboundPolicy::default_deny());
  EXPECT_TRUE(p.check_host("innocent.example").ok());
  Status s = p.check_resolved("innocent.example", make_address("169.254.169.254"));
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("innocent.example (169.254.169.254)"), std::string::npos) << s.message();
  EXPECT_FALSE(p.check_resolved("innocent.example", make_address("::ffff:169.254.1.1")).ok());
  EXPECT_TRUE(p.check_resolved("innocent.example", make_address("93.184.216.34")).ok());
}

TEST(OutboundPolicy, AllowMakesExceptionsAndDenyAllMakesAnAllowList) {
  auto p = policy(OutboundPolicy::default_deny(), {"169.254.10.0/24", "metadata"});
  EXPECT_TRUE(p.check_host("169.254.10.7").ok());
  EXPECT_FALSE(p.check_host("169.254.11.7").ok());
  EXPECT_TRUE(p.check_host("metadata").ok());
  auto only = policy({"0.0.0.0/0", "::/0"}, {"10.0.0.0/8", "hooks.example.com"});
  EXPECT_TRUE(only.check_resolved("hooks.example.com", make_address("203.0.113.9")).ok());
  EXPECT_TRUE(only.check_resolved("relay.internal", make_address("10.9.9.9")).ok());
  EXPECT_FALSE(only.check_resolved("relay.internal", make_address("192.168.1.1")).ok());
  EXPECT_FALSE(only.check_host("[2001:db8::1]").ok());
  EXPECT_TRUE(policy({}).check_host("169.254.169.254").ok());  // an empty deny list refuses nothing
}

TEST(OutboundPolicy, MalformedRulesAreNamed) {
  for (const char* rule : {"10.0.0.0/33", "fe80::/129", "10.0.0.0/", "bad host!", "a/b"}) {
    auto p = OutboundPolicy::make({rule}, {});
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument) << rule;
    EXPECT_NE(p.status().message().find("outbound.deny"), std::string::npos) << rule;
  }
  EXPECT_NE(OutboundPolicy::make({}, {"x/1"}).status().message().find("outbound.allow"), std::string::npos);
}

TEST(OutboundPolicy, AConnectionIsRefusedBeforeAnyPacketWhenTheNameResolvesToADeniedAddress) {
  auto p = policy(OutboundPolicy::default_deny());
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  // The resolver reads this name as 169.254.169.254 without asking DNS.
  Status s = connect_bounded(socket, "2852039166", "80", std::chrono::milliseconds(2000), &p);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.to_string();
  EXPECT_FALSE(socket.is_open());
  auto r = http_request("POST", "http://2852039166/hook", {}, "{}", std::chrono::milliseconds(2000), 1024, &p);
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
}

TEST(HttpUrl, BracketedHostsPortsAndUserInformation) {
  auto v6 = parse_http_url("http://[::1]:8080/hook");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, "8080");
  EXPECT_EQ(v6->target, "/hook");
  auto bare = parse_http_url("http://[fe80::1]");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->host, "fe80::1");
  EXPECT_EQ(bare->port, "80");
  auto plain = parse_http_url("http://example.com:81");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->host, "example.com");
  EXPECT_EQ(plain->port, "81");
  EXPECT_FALSE(parse_http_url("http://user@169.254.169.254/").ok());
  EXPECT_FALSE(parse_http_url("http://[::1/").ok());
}

}  // namespace
}  // namespace maas
