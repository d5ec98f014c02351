#include "cli/exit_codes.h"

#include <gtest/gtest.h>

namespace maas::cli {
namespace {

TEST(ExitCodeFor, FollowsTheDocumentedContract) {
  EXPECT_EQ(exit_code_for(StatusCode::kOk), ExitCode::kOk);
  EXPECT_EQ(exit_code_for(StatusCode::kNotFound), ExitCode::kNotFound);
  EXPECT_EQ(exit_code_for(StatusCode::kAlreadyExists), ExitCode::kConflict);
  EXPECT_EQ(exit_code_for(StatusCode::kFailedPrecondition), ExitCode::kConflict);
  EXPECT_EQ(exit_code_for(StatusCode::kInvalidArgument), ExitCode::kInvalidInput);
  EXPECT_EQ(exit_code_for(StatusCode::kPayloadTooLarge), ExitCode::kInvalidInput);
  EXPECT_EQ(exit_code_for(StatusCode::kUnsupportedMediaType), ExitCode::kInvalidInput);
  EXPECT_EQ(exit_code_for(StatusCode::kUnavailable), ExitCode::kUnavailable);
  EXPECT_EQ(exit_code_for(StatusCode::kDeadlineExceeded), ExitCode::kUnavailable);
  EXPECT_EQ(exit_code_for(StatusCode::kInternal), ExitCode::kUnavailable);
  EXPECT_EQ(exit_code_for(StatusCode::kResourceExhausted), ExitCode::kUnavailable);
  EXPECT_EQ(exit_code_for(StatusCode::kUnauthenticated), ExitCode::kAuth);
  EXPECT_EQ(exit_code_for(StatusCode::kPermissionDenied), ExitCode::kAuth);
  EXPECT_EQ(exit_code_for(StatusCode::kMethodNotAllowed), ExitCode::kUnexpected);
}

TEST(ExitCode, NumbersNeverChange) {
  EXPECT_EQ(to_int(ExitCode::kOk), 0);
  EXPECT_EQ(to_int(ExitCode::kUnexpected), 1);
  EXPECT_EQ(to_int(ExitCode::kUsage), 2);
  EXPECT_EQ(to_int(ExitCode::kNotFound), 3);
  EXPECT_EQ(to_int(ExitCode::kConflict), 4);
  EXPECT_EQ(to_int(ExitCode::kInvalidInput), 5);
  EXPECT_EQ(to_int(ExitCode::kUnavailable), 6);
  EXPECT_EQ(to_int(ExitCode::kAuth), 7);
}

TEST(FormatErrorLine, ShowsMessageThenCode) {
  EXPECT_EQ(format_error_line(not_found("model 'iris' does not exist")),
            "error: model 'iris' does not exist (NOT_FOUND)");
}

TEST(ExitCodeHelp, ListsEveryCode) {
  const std::string help = kExitCodeHelp;
  for (const char* line : {"  0  ", "  1  ", "  2  ", "  3  ", "  4  ", "  5  ", "  6  ", "  7  "}) {
    EXPECT_NE(help.find(line), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace maas::cli
