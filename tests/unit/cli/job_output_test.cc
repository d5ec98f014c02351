#include "cli/job_output.h"

#include <gtest/gtest.h>

namespace maas::cli {
namespace {

using nlohmann::json;

json running_job() {
  return {{"id", "j-1"},
          {"kind", "test.steps"},
          {"state", "running"},
          {"priority", 5},
          {"owner", "k1"},
          {"attempts", 1},
          {"max_attempts", 3},
          {"interruptions", 1},
          {"created_at", "2026-11-25T01:02:03.456Z"},
          {"progress", {{"fraction", 0.42}, {"message", "step 4 of 10"}, {"metrics", {{"loss", 0.25}}}, {"eta_seconds", 6}}},
          {"params", {{"steps", 10}}},
          {"result", nullptr},
          {"error", nullptr}};
}

TEST(JobOutput, AProgressLineHasTheBarPercentMessageEtaAndMetrics) {
  EXPECT_EQ(format_job_progress(running_job()),
            "[##########..............]  42%  step 4 of 10  ETA 6.0s  loss=0.25");
  json done = running_job();
  done["state"] = "succeeded";
  EXPECT_EQ(format_job_progress(done), "j-1 succeeded");
  EXPECT_TRUE(job_state_is_final(done));
  EXPECT_FALSE(job_state_is_final(running_job()));
}

TEST(JobOutput, TablesShowOneRowPerJobAndMissingFieldsAsDashes) {
  std::string table = render_jobs_table({{"jobs", {running_job(), {{"id", "j-2"}}}}});
  EXPECT_NE(table.find("ID"), std::string::npos);
  EXPECT_NE(table.find("j-1  test.steps  running  5         42%       1/3       k1"), std::string::npos) << table;
  EXPECT_NE(table.find("2026-11-25 01:02:03Z"), std::string::npos) << table;
  EXPECT_NE(table.find("j-2  -           -"), std::string::npos) << table;
  std::string kinds = render_kinds_table(
      {{"kinds", {{{"name", "artifacts.verify"}, {"resources", {{"cpu_slots", 1}, {"memory_bytes", 268435456}}},
                   {"max_attempts", 3}, {"description", "re-hash"}}}}});
  EXPECT_NE(kinds.find("artifacts.verify  1      256.0 MiB  3         re-hash"), std::string::npos) << kinds;
}

TEST(JobOutput, DetailsSayWhatHappened) {
  json failed = running_job();
  failed["state"] = "failed";
  failed["error"] = "the job process stopped before it finished: killed by signal 9 (SIGKILL)";
  std::string text = render_job_details(failed);
  EXPECT_NE(text.find("1/3 (interrupted 1x)"), std::string::npos) << text;
  EXPECT_NE(text.find("signal 9"), std::string::npos) << text;
  EXPECT_NE(text.find("42%  step 4 of 10  loss=0.25  ETA 6.0s"), std::string::npos) << text;
}

TEST(JobOutput, ParamsComeFromFlagsTypedWhenTheyReadAsJson) {
  auto params = build_job_params(R"({"steps": 1, "gate": "g"})", {"steps=3", "name=plain text", "flags=[1,2]", "on=true"});
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(*params, (json{{"steps", 3}, {"gate", "g"}, {"name", "plain text"}, {"flags", {1, 2}}, {"on", true}}));
  EXPECT_FALSE(build_job_params("[1]", {}).ok());
  EXPECT_FALSE(build_job_params("", {"a=1", "a=2"}).ok());
  EXPECT_FALSE(build_job_params("", {"=1"}).ok());
}

TEST(JobOutput, ALogLineReadsTimeSourceLevelLine) {
  EXPECT_EQ(format_job_log_line({{"at", "2026-11-25T01:02:03.456Z"}, {"source", "stderr"}, {"level", "info"}, {"line", "hi"}}),
            "2026-11-25 01:02:03Z  stderr  info  hi");
}

}  // namespace
}  // namespace maas::cli
