#include "cli/api_client.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace maas::cli {
namespace {

TEST(ApiPaths, EncodeEachNameAsOneSegment) {
  EXPECT_EQ(model_path("iris"), "/api/v1/models/iris");
  EXPECT_EQ(version_path("iris", "latest"), "/api/v1/models/iris/versions/latest");
  EXPECT_EQ(artifact_path("iris", "2"), "/api/v1/models/iris/versions/2/artifact");
  EXPECT_EQ(alias_path("iris", "champion"), "/api/v1/models/iris/aliases/champion");
  EXPECT_EQ(model_path("../admin/store"), "/api/v1/models/..%2Fadmin%2Fstore");
}

TEST(ApiPaths, BuildOpenInferenceProtocolPaths) {
  EXPECT_EQ(infer_path("iris", ""), "/v2/models/iris/infer");
  EXPECT_EQ(infer_path("iris", "champion"), "/v2/models/iris/versions/champion/infer");
  EXPECT_EQ(infer_path("a/b", "c d"), "/v2/models/a%2Fb/versions/c%20d/infer");
  EXPECT_EQ(load_path("iris"), "/v2/repository/models/iris/load");
  EXPECT_EQ(unload_path("../x"), "/v2/repository/models/..%2Fx/unload");
}

HttpResponse response(int status, std::string body = "", std::string request_id = "") {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.request_id = std::move(request_id);
  return response;
}

TEST(DecodeResponse, ParsesA2xxBody) {
  auto json = decode_response(response(200, R"({"status": "ok"})"));
  ASSERT_TRUE(json.ok());
  EXPECT_EQ((*json)["status"], "ok");
}

TEST(DecodeResponse, TreatsAnEmpty204AsNull) {
  auto json = decode_response(response(204));
  ASSERT_TRUE(json.ok());
  EXPECT_TRUE(json->is_null());
}

TEST(DecodeResponse, RejectsA2xxBodyThatIsNotJson) {
  auto json = decode_response(response(200, "<html>"));
  EXPECT_EQ(json.status().code(), StatusCode::kInternal);
}

TEST(DecodeResponse, TurnsAnErrorIntoItsStatusWithTheRequestIdOf5xx) {
  auto missing = decode_response(response(404, R"({"error":{"code":"NOT_FOUND","message":"gone"}})", "r1"));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "gone");

  auto broken = decode_response(response(500, R"({"error":{"code":"INTERNAL","message":"disk"}})", "r2"));
  EXPECT_EQ(broken.status().message(), "disk [request r2]");
}

}  // namespace
}  // namespace maas::cli
