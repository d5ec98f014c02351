#include "http/message_rules.h"

#include <gtest/gtest.h>

namespace maas::http {
namespace {

HeaderFields with_host(HeaderFields fields) {
  fields.insert(fields.begin(), {"host", "maas.example:8080"});
  return fields;
}

TEST(CheckRequestHead, AcceptsOneChunkedCodingOrAContentLength) {
  EXPECT_TRUE(check_request_head(with_host({{"transfer-encoding", "chunked"}}), 11).ok());
  EXPECT_TRUE(check_request_head(with_host({{"transfer-encoding", "Chunked"}}), 11).ok());
  EXPECT_TRUE(check_request_head(with_host({{"content-length", "5"}}), 11).ok());
  EXPECT_TRUE(check_request_head(with_host({}), 11).ok());
}

TEST(CheckRequestHead, RefusesEveryTransferEncodingWhoseFinalCodingIsNotASingleChunked) {
  for (const char* te : {"gzip", "xchunked", "chunked, identity", "chunked, chunked", "gzip, chunked", "chunked;x=1",
                         "", " , "}) {
    auto s = check_request_head(with_host({{"transfer-encoding", te}}), 11);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << "'" << te << "'";
  }
  // Split over two fields, the codings are one list.
  auto split = check_request_head(with_host({{"transfer-encoding", "chunked"}, {"transfer-encoding", "identity"}}), 11);
  EXPECT_EQ(split.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(split.message().find("final"), std::string::npos) << split.message();
}

TEST(CheckRequestHead, RefusesTransferEncodingWithContentLengthOrInHttp10) {
  auto both = check_request_head(with_host({{"content-length", "5"}, {"transfer-encoding", "chunked"}}), 11);
  EXPECT_EQ(both.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(both.message().find("Content-Length"), std::string::npos);
  EXPECT_FALSE(check_request_head(with_host({{"transfer-encoding", "gzip"}, {"content-length", "5"}}), 11).ok());
  EXPECT_FALSE(check_request_head(with_host({{"transfer-encoding", "chunked"}}), 10).ok());
}

TEST(CheckRequestHead, NeedsExactlyOneValidHostInHttp11) {
  EXPECT_FALSE(check_request_head({}, 11).ok());
  EXPECT_TRUE(check_request_head({}, 10).ok());  // HTTP/1.0 may omit it
  EXPECT_FALSE(check_request_head({{"host", "a"}, {"host", "b"}}, 11).ok());
  EXPECT_FALSE(check_request_head({{"host", "a"}, {"host", "a"}}, 10).ok());
  EXPECT_TRUE(check_request_head({{"host", "[::1]:8080"}}, 11).ok());
  EXPECT_TRUE(check_request_head({{"host", ""}}, 11).ok());  // a target without an authority
  for (const char* bad : {"a b", "a/b", "user@host", "a\x01"}) {
    EXPECT_FALSE(check_request_head({{"host", bad}}, 11).ok()) << bad;
  }
}

TEST(OriginForm, ReducesTheAbsoluteFormToPathAndQuery) {
  EXPECT_EQ(origin_form("/api/v1/health?x=1").value(), "/api/v1/health?x=1");
  EXPECT_EQ(origin_form("http://maas.example:8080/api/v1/health").value(), "/api/v1/health");
  EXPECT_EQ(origin_form("HTTPS://maas.example/v2/models?a=b").value(), "/v2/models?a=b");
  EXPECT_EQ(origin_form("http://maas.example").value(), "/");
  EXPECT_EQ(origin_form("http://maas.example?q=1").value(), "/?q=1");
  EXPECT_EQ(origin_form("*").value(), "*");  // left to the router (404)
  EXPECT_FALSE(origin_form("ftp://maas.example/x").ok());
  EXPECT_FALSE(origin_form("http:///x").ok());
  EXPECT_FALSE(origin_form("http://us er@host/x").ok());
}

TEST(NormalizeCodingValues, LowercasesContentAndTransferEncodingOnly) {
  HeaderFields fields = {{"content-encoding", "GZIP"}, {"transfer-encoding", "Chunked"}, {"x-name", "KeepMe"}};
  normalize_coding_values(fields);
  EXPECT_EQ(fields[0].second, "gzip");
  EXPECT_EQ(fields[1].second, "chunked");
  EXPECT_EQ(fields[2].second, "KeepMe");
}

}  // namespace
}  // namespace maas::http
