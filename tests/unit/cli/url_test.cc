#include "cli/url.h"

#include <gtest/gtest.h>

namespace maas::cli {
namespace {

TEST(ParseServerUrl, ReadsHostPortAndBasePath) {
  auto url = parse_server_url("http://models.internal:9090/maas/");
  ASSERT_TRUE(url.ok()) << url.status().to_string();
  EXPECT_EQ(url->host, "models.internal");
  EXPECT_EQ(url->port, 9090);
  EXPECT_EQ(url->base_path, "/maas");
  EXPECT_EQ(url->to_string(), "http://models.internal:9090/maas");
}

TEST(ParseServerUrl, DefaultsToPort80AndNoBasePath) {
  auto url = parse_server_url("HTTP://localhost");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->base_path, "");
  EXPECT_EQ(url->authority(), "localhost:80");
}

TEST(ParseServerUrl, AcceptsHostPortWithoutScheme) {
  auto url = parse_server_url("127.0.0.1:18080");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 18080);
}

TEST(ParseServerUrl, BracketsIpv6Hosts) {
  auto url = parse_server_url("http://[::1]:8080");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->authority(), "[::1]:8080");
}

TEST(ParseServerUrl, RejectsHttpsWithAClearMessage) {
  auto url = parse_server_url("https://maas.example.com");
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(url.status().message().find("https is not supported yet"), std::string::npos);
}

TEST(ParseServerUrl, RejectsWhatItCannotHonour) {
  for (const char* bad :
       {"ftp://host", "http://", "http://:8080", "http://host:", "http://host:0", "http://host:65536",
        "http://host:80x", "http://user:pw@host", "http://host/?q=1", "http://host#top", "http://[::1"}) {
    EXPECT_FALSE(parse_server_url(bad).ok()) << bad;
  }
}

TEST(PercentEncode, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(percent_encode("iris-v2.1_x~"), "iris-v2.1_x~");
  EXPECT_EQ(percent_encode("../etc/passwd"), "..%2Fetc%2Fpasswd");
  EXPECT_EQ(percent_encode("a b@c:d"), "a%20b%40c%3Ad");
  EXPECT_EQ(percent_encode("\xC3\xA9"), "%C3%A9");
}

TEST(AppendQuery, StartsThenContinuesTheQuery) {
  std::string target = "/api/v1/models";
  append_query(target, "prefix", "ir is");
  append_query(target, "tag", "team:risk");
  EXPECT_EQ(target, "/api/v1/models?prefix=ir%20is&tag=team%3Arisk");
}

}  // namespace
}  // namespace maas::cli
