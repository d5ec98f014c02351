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
  // HEAD is allowed wherever GET is.
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "POST", "HEAD"}));
  EXPECT_TRUE(r.match("GET", "/nope").allowed_methods.empty());
  r.add("PUT", "/api/v1/keys", noop());
  EXPECT_EQ(r.match("DELETE", "/api/v1/keys").allowed_methods, (std::vector<std::string>{"PUT"}));
}

TEST(Router, HeadIsAnsweredByTheGetRoute) {
  Router r;
  r.add("GET", "/api/v1/models/{name}", noop(), BodyMode::kBuffered, Access::kRead);
  r.add("POST", "/api/v1/models/{name}", noop());
  auto m = r.match("HEAD", "/api/v1/models/iris");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "GET");
  EXPECT_EQ(m.route->access, Access::kRead);
  EXPECT_EQ(m.params.at("name"), "iris");
  EXPECT_EQ(r.match("HEAD", "/api/v1/nope").route, nullptr);
}

TEST(Router, AHeadRouteWinsOverTheGetRouteOfTheSamePattern) {
  Router r;
  r.add("GET", "/api/v1/blobs/{digest}", noop(), BodyMode::kBuffered);
  r.add("HEAD", "/api/v1/blobs/{digest}", noop(), BodyMode::kStreamed);
  auto m = r.match("HEAD", "/api/v1/blobs/abc");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "HEAD");
  // ... but a GET route with more literal segments is still the better match.
  r.add("GET", "/api/v1/blobs/latest", noop(), BodyMode::kBufferedLarge);
  EXPECT_EQ(r.match("HEAD", "/api/v1/blobs/latest").route->body_mode, BodyMode::kBufferedLarge);
}

TEST(Router, ARestSegmentTakesTheRestOfThePath) {
  Router r;
  r.add("GET", "/ui/{path...}", noop(), BodyMode::kBuffered, Access::kPublic);
  auto m = r.match("GET", "/ui/assets/app-1a2b.js");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("path"), "assets/app-1a2b.js");
  m = r.match("GET", "/ui/");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("path"), "");
  EXPECT_EQ(r.match("GET", "/ui/models/iris/").params.at("path"), "models/iris/");
  EXPECT_EQ(r.match("GET", "/ui").route, nullptr);     // at least one segment after the literals
  EXPECT_EQ(r.match("GET", "/uix/a").route, nullptr);
  EXPECT_EQ(r.match("HEAD", "/ui/a").route->method, "GET");
}

TEST(Router, NamedSegmentsWinOverARestSegment) {
  Router r;
  r.add("GET", "/ui/{path...}", noop(), BodyMode::kBuffered);
  r.add("GET", "/ui/{page}", noop(), BodyMode::kStreamed);
  EXPECT_EQ(r.match("GET", "/ui/models").route->body_mode, BodyMode::kStreamed);
  EXPECT_EQ(r.match("GET", "/ui/models/iris").route->body_mode, BodyMode::kBuffered);
}

TEST(Router, ErrorsTakeTheShapeTheOwnerOfThePathSet) {
  Router r;
  // Without a format, every path gets the management shape.
  auto plain = nlohmann::json::parse(r.error_response("/v2/models/m", not_found("gone")).body);
  EXPECT_EQ(plain["error"]["code"], "NOT_FOUND");
  r.set_error_format("/v2", [](const Status& s) { return Response::json(404, {{"error", s.message()}}); });
  r.set_error_format("/v2/special", [](const Status&) { return Response::json(418, {}); });
  EXPECT_EQ(nlohmann::json::parse(r.error_response("/v2/models/m", not_found("gone")).body)["error"], "gone");
  EXPECT_EQ(nlohmann::json::parse(r.error_response("/v2", not_found("gone")).body)["error"], "gone");
  EXPECT_EQ(r.error_response("/v2/special/x", not_found("gone")).status, 418);  // the longest prefix wins
  // A prefix covers whole segments only.
  auto other = nlohmann::json::parse(r.error_response("/v2x/models", not_found("gone")).body);
  EXPECT_EQ(other["error"]["code"], "NOT_FOUND");
  EXPECT_EQ(r.error_response("/api/v1/models", unavailable("busy")).status, 503);
}

}  // namespace
}  // namespace maas::http
