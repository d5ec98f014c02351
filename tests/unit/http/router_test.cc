#include "http/router.h"

#include <gtest/gtest.h>

namespace maas::http {
namespace {

Handler noop() {
  return [](Request&) -> boost::asio::awaitable<Response> { co_return Response::no_content(); };
}

TEST(Router, MatchesParametersBySegment) {
  Router r;
  r.add("GET", "/api/v1/models/{name}", noop());
  r.add("GET", "/api/v1/models/{name}/versions/{ref}", noop());
  auto m = r.match("GET", "/api/v1/models/iris/versions/champion");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("name"), "iris");
  EXPECT_EQ(m.params.at("ref"), "champion");
  EXPECT_EQ(r.match("GET", "/api/v1/models/a/b").route, nullptr);
  EXPECT_EQ(r.match("GET", "/api/v1/models/").route, nullptr);  // empty parameter
}

TEST(Router, LiteralSegmentsWinOverParameters) {
  Router r;
  r.add("GET", "/api/v1/models/{name}", noop());
  r.add("GET", "/api/v1/models/special", noop(), BodyMode::kStreamed);
  auto m = r.match("GET", "/api/v1/models/special");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->body_mode, BodyMode::kStreamed);
}

TEST(Router, ReportsAllowedMethodsForA405) {
  Router r;
  r.add("GET", "/api/v1/models", noop());
  r.add("POST", "/api/v1/models", noop());
  auto m = r.match("DELETE", "/api/v1/models");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "POST"}));
  EXPECT_TRUE(r.match("GET", "/nope").allowed_methods.empty());
}

}  // namespace
}  // namespace maas::http
