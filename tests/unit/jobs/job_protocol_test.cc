#include "jobs/job_protocol.h"

#include <gtest/gtest.h>

namespace maas::jobs::protocol {
namespace {

TEST(JobProtocol, EveryMessageRoundTrips) {
  StartMessage start{"j-1", "test.steps", "test.steps", "/p/libmaas_jobs_test.so", {{"steps", 3}}, 2, 4, "/scratch", true};
  auto s = decode_start(encode(start));
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  EXPECT_EQ(s->job_id, "j-1");
  EXPECT_EQ(s->executor_plugin, "/p/libmaas_jobs_test.so");
  EXPECT_EQ(s->params["steps"], 3);
  EXPECT_EQ(s->attempt, 2);
  EXPECT_EQ(s->cpu_slots, 4);
  EXPECT_TRUE(s->has_checkpoint);

  auto p = decode_progress(encode(ProgressMessage{0.5, "half", {{"loss", 0.25}}}));
  ASSERT_TRUE(p.ok());
  EXPECT_DOUBLE_EQ(p->fraction, 0.5);
  EXPECT_EQ(p->metrics.at("loss"), 0.25);

  auto l = decode_log(encode(LogMessage{LogLevel::kWarn, "careful"}));
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->level, LogLevel::kWarn);
  EXPECT_EQ(l->line, "careful");

  EXPECT_EQ(decode_checkpoint(encode(CheckpointMessage{7}))->sequence, 7u);
  auto ack = decode_checkpoint_ack(encode(CheckpointAck{7, resource_exhausted("too big")}));
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(ack->status.message(), "too big");

  auto done = decode_done(encode(DoneMessage{Status(), {{"rows", 10}}}));
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->status.ok());
  EXPECT_EQ(done->result["rows"], 10);
  auto failed = decode_done(encode(DoneMessage{invalid_argument("bad column"), nullptr}));
  EXPECT_EQ(failed->status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(failed->result.is_null());
}

TEST(JobProtocol, AQuestionAndItsAnswerRoundTrip) {
  auto question = decode_question(encode(QuestionMessage{4, "studies.report", {{"step", 9}, {"value", 0.25}}}));
  ASSERT_TRUE(question.ok()) << question.status().message();
  EXPECT_EQ(question->sequence, 4u);
  EXPECT_EQ(question->topic, "studies.report");
  EXPECT_EQ(question->body["step"], 9);
  auto answer = decode_answer(encode(AnswerMessage{4, Status(), {{"prune", true}}}));
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  EXPECT_EQ(answer->sequence, 4u);
  EXPECT_TRUE(answer->status.ok());
  EXPECT_EQ(answer->body["prune"], true);
  auto refused = decode_answer(encode(AnswerMessage{5, permission_denied("not its trial"), nullptr}));
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(refused->status.message(), "not its trial");
  EXPECT_FALSE(decode_question(R"({"sequence": 1, "topic": 3, "body": {}})").ok());
  EXPECT_FALSE(decode_answer(R"({"sequence": 1})").ok());
}

TEST(JobProtocol, NonFiniteNumbersDoNotBreakAMessage) {
  auto p = decode_progress(encode(ProgressMessage{std::nan(""), "x", {{"loss", INFINITY}, {"ok", 1}}}));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->fraction, 0);
  EXPECT_EQ(p->metrics.count("loss"), 0u);
  EXPECT_EQ(p->metrics.at("ok"), 1);
}

TEST(JobProtocol, AMalformedMessageIsAnErrorNamingIt) {
  auto wrong_type = decode_progress(R"({"fraction": "half", "message": "", "metrics": {}})");
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.status().code(), StatusCode::kInternal);
  EXPECT_EQ(wrong_type.status().message(), "the job process sent a malformed progress message (fraction)");
  EXPECT_FALSE(decode_log("not json").ok());
  EXPECT_FALSE(decode_done(R"({"result": 1})").ok());
  EXPECT_FALSE(decode_start("[]").ok());
  // An unknown code still fails the job, as INTERNAL.
  auto odd = decode_done(R"({"status": {"code": "BROKEN", "message": "m"}, "result": null})");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->status.code(), StatusCode::kInternal);
}

TEST(JobProtocol, AResultNestedPastTheJsonDepthLimitIsRefusedBeforeMaasdWalksIt) {
  // A job process runs a plugin's code; maasd copies and dumps its result, which recurses once per level.
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  auto done = decode_done(R"({"status": {"code": "OK", "message": ""}, "result": )" + deep + "}");
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.status().code(), StatusCode::kInternal);
  EXPECT_NE(done.status().message().find("malformed done message"), std::string::npos) << done.status().message();
  EXPECT_NE(done.status().message().find("nested deeper than 1024 levels"), std::string::npos)
      << done.status().message();
}

}  // namespace
}  // namespace maas::jobs::protocol
