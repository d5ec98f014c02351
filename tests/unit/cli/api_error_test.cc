#include "cli/api_error.h"

#include <gtest/gtest.h>

#include <string>

namespace maas::cli {
namespace {

TEST(StatusFromErrorResponse, UsesTheDocumentedErrorShape) {
  Status status =
      status_from_error_response(404, R"({"error": {"code": "NOT_FOUND", "message": "model 'iris' does not exist"}})");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "model 'iris' does not exist");
}

TEST(StatusFromErrorResponse, TheWireCodeWinsOverTheHttpStatus) {
  Status status = status_from_error_response(409, R"({"error": {"code": "ALREADY_EXISTS", "message": "taken"}})");
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists);
}

TEST(StatusFromErrorResponse, FallsBackToTheHttpStatusForAnUnknownCode) {
  Status status = status_from_error_response(503, R"({"error": {"code": "SOMETHING_NEW", "message": "later"}})");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "later");
}

TEST(StatusFromErrorResponse, ReadsTheOpenInferenceProtocolShapeByHttpStatus) {
  Status missing = status_from_error_response(404, R"({"error": "model 'm' is not loaded"})");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "model 'm' is not loaded");
  EXPECT_EQ(status_from_error_response(400, R"({"error": "bad shape"})").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status_from_error_response(409, R"({"error": "already loading"})").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status_from_error_response(503, R"({"error": "queue full"})").code(), StatusCode::kUnavailable);
  EXPECT_EQ(status_from_error_response(500, R"({"error": "worker crashed"})").code(), StatusCode::kInternal);
}

TEST(StatusFromErrorResponse, QuotesABodyThatIsNotTheErrorShape) {
  Status status = status_from_error_response(502, "<html>\n  <body>Bad   gateway</body>\n</html>");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "HTTP 502: <html> <body>Bad gateway</body> </html>");
}

TEST(StatusFromErrorResponse, ShortensALongBody) {
  Status status = status_from_error_response(500, std::string(10000, 'x'));
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_LT(status.message().size(), 300u);
  EXPECT_EQ(status.message().substr(status.message().size() - 3), "...");
}

TEST(StatusFromErrorResponse, SurvivesAMistypedErrorObject) {
  Status status = status_from_error_response(400, R"({"error": {"code": 7, "message": ["x"]}})");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "HTTP 400");
}

TEST(StatusCodeFromHttpStatus, MapsEachDocumentedStatus) {
  EXPECT_EQ(status_code_from_http_status(400), StatusCode::kInvalidArgument);
  EXPECT_EQ(status_code_from_http_status(401), StatusCode::kUnauthenticated);
  EXPECT_EQ(status_code_from_http_status(403), StatusCode::kPermissionDenied);
  EXPECT_EQ(status_code_from_http_status(404), StatusCode::kNotFound);
  EXPECT_EQ(status_code_from_http_status(409), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status_code_from_http_status(413), StatusCode::kPayloadTooLarge);
  EXPECT_EQ(status_code_from_http_status(415), StatusCode::kUnsupportedMediaType);
  EXPECT_EQ(status_code_from_http_status(429), StatusCode::kResourceExhausted);
  EXPECT_EQ(status_code_from_http_status(431), StatusCode::kInvalidArgument);
  EXPECT_EQ(status_code_from_http_status(500), StatusCode::kInternal);
  EXPECT_EQ(status_code_from_http_status(504), StatusCode::kDeadlineExceeded);
}

TEST(StatusCodeFromName, KnowsEveryWireName) {
  EXPECT_EQ(status_code_from_name("FAILED_PRECONDITION"), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status_code_from_name("UNSUPPORTED_MEDIA_TYPE"), StatusCode::kUnsupportedMediaType);
  EXPECT_EQ(status_code_from_name("OK"), std::nullopt);
  EXPECT_EQ(status_code_from_name("not_found"), std::nullopt);
}

}  // namespace
}  // namespace maas::cli
