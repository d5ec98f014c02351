#include "common/status.h"

#include <gtest/gtest.h>

namespace maas {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return invalid_argument("must be positive");
  return v;
}

Result<int> doubled(int v) {
  MAAS_ASSIGN_OR_RETURN(int x, parse_positive(v));
  return x * 2;
}

Status check(int v) {
  MAAS_RETURN_IF_ERROR(parse_positive(v).status());
  return {};
}

TEST(Status, MapsEveryCodeToItsHttpStatus) {
  EXPECT_EQ(http_status_for(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(http_status_for(StatusCode::kNotFound), 404);
  EXPECT_EQ(http_status_for(StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(http_status_for(StatusCode::kPayloadTooLarge), 413);
  EXPECT_EQ(http_status_for(StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(http_status_for(StatusCode::kUnavailable), 503);
  EXPECT_EQ(status_code_name(StatusCode::kAlreadyExists), "ALREADY_EXISTS");
}

TEST(Result, AssignOrReturnPropagatesTheError) {
  EXPECT_EQ(*doubled(4), 8);
  auto bad = doubled(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "must be positive");
  EXPECT_TRUE(check(3).ok());
  EXPECT_EQ(check(0).to_string(), "INVALID_ARGUMENT: must be positive");
}

}  // namespace
}  // namespace maas
