#include "http/request.h"

#include <gtest/gtest.h>

namespace maas::http {
namespace {

TEST(PercentDecode, DecodesAndRejectsMalformedEscapes) {
  EXPECT_EQ(percent_decode("a%20b", false).value(), "a b");
  EXPECT_EQ(percent_decode("a+b", true).value(), "a b");
  EXPECT_EQ(percent_decode("a+b", false).value(), "a+b");
  EXPECT_FALSE(percent_decode("%zz", false).has_value());
  EXPECT_FALSE(percent_decode("abc%2", false).has_value());
  EXPECT_FALSE(percent_decode("abc%", false).has_value());
  EXPECT_FALSE(percent_decode("a%00b", false).has_value());
}

TEST(ParseQuery, KeepsRepeatedKeysInOrder) {
  auto q = parse_query("tag=a%3Ab&tag=c&limit=5&&empty=");
  ASSERT_TRUE(q.ok());
  Request req;
  req.query = *q;
  EXPECT_EQ(req.query_params("tag"), (std::vector<std::string>{"a:b", "c"}));
  EXPECT_EQ(req.query_param("limit").value(), "5");
  EXPECT_EQ(req.query_param("empty").value(), "");
  EXPECT_FALSE(req.query_param("missing").has_value());
  EXPECT_FALSE(parse_query("a=%G0").ok());
}

TEST(Response, ErrorHasTheManagementShape) {
  auto r = Response::error(not_found("model 'x' does not exist"));
  EXPECT_EQ(r.status, 404);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["error"]["code"], "NOT_FOUND");
  EXPECT_EQ(body["error"]["message"], "model 'x' does not exist");
}

}  // namespace
}  // namespace maas::http
