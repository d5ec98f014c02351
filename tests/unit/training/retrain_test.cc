// Retraining's triggers on an injected clock (the schedule's next fire, newer alerts and dataset versions, the
// minimum interval) and its policy read strictly (docs/TRAINING.md#retraining).
#include <gtest/gtest.h>

#include "training/retrain/policy.h"
#include "training/retrain/triggers.h"

namespace maas::training::retrain {
namespace {

using nlohmann::json;

constexpr int64_t kMinute = 60'000;
// 2026-12-07 22:30:15 UTC, in ms.
constexpr int64_t kNow = 1'796'682'615'000;

TEST(RetrainSchedule, TheFirstLookOnlyRecordsTheNextFireThenItFiresOnceEachTime) {
  json state = json::object();
  auto due = schedule_due("*/15 * * * *", state, kNow);
  ASSERT_TRUE(due.ok()) << due.status().message();
  EXPECT_FALSE(*due);
  EXPECT_EQ(state["next_fire_ms"].get<int64_t>(), kNow - 15'000 + 15 * kMinute);  // 22:45:00
  EXPECT_FALSE(*schedule_due("*/15 * * * *", state, kNow + 14 * kMinute));        // 22:44:15: not yet
  EXPECT_TRUE(*schedule_due("*/15 * * * *", state, kNow + 15 * kMinute));         // 22:45:15: due
  EXPECT_EQ(state["next_fire_ms"].get<int64_t>(), kNow - 15'000 + 30 * kMinute);  // then 23:00:00
  EXPECT_FALSE(*schedule_due("*/15 * * * *", state, kNow + 16 * kMinute));
}

TEST(RetrainSchedule, MissedFiresRunOnceAndTheNextIsAfterNow) {
  json state = {{"next_fire_ms", kNow - 15'000 + 15 * kMinute}};
  // maasd was down for three hours: one run, and the next fire is the first after now.
  EXPECT_TRUE(*schedule_due("*/15 * * * *", state, kNow + 180 * kMinute));
  EXPECT_EQ(state["next_fire_ms"].get<int64_t>(), kNow - 15'000 + 195 * kMinute);
}

TEST(RetrainSchedule, DailyAtThreeInUtc) {
  json state = json::object();
  EXPECT_FALSE(*schedule_due("0 3 * * *", state, kNow));
  EXPECT_EQ(state["next_fire_ms"].get<int64_t>(), 1'796'698'800'000);  // 2026-12-08 03:00:00 UTC
}

TEST(RetrainTriggers, OnlyANewerAlertFiringOrDatasetVersionFires) {
  json state = {{"dataset_version", 3}};
  EXPECT_FALSE(newer_than_seen(state, "dataset_version", 3));
  EXPECT_TRUE(newer_than_seen(state, "dataset_version", 4));
  EXPECT_EQ(state["dataset_version"], 4);
  EXPECT_TRUE(newer_than_seen(state, "alert_fired_at_ms", kNow));  // never seen
  EXPECT_FALSE(newer_than_seen(state, "alert_fired_at_ms", kNow));
}

TEST(RetrainTriggers, TheMinimumIntervalHoldsRunsBack) {
  json state = {{"last_run_at_ms", kNow}};
  auto why = too_soon(state, 3600, kNow + 59 * kMinute);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("min_interval_seconds of 3600"), std::string::npos) << *why;
  EXPECT_FALSE(too_soon(state, 3600, kNow + 60 * kMinute).has_value());
  EXPECT_FALSE(too_soon(json::object(), 3600, kNow).has_value());
}

TEST(RetrainPolicy, DefaultsAreFilledIn) {
  auto p = parse_retrain_policy(
      json{{"triggers", {{"schedule", "@daily"}, {"dataset", true}}}, {"canary", {{"service", "svc"}}}}, 60);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ((*p)["from_version"], "latest");
  EXPECT_EQ((*p)["min_interval_seconds"], 3600);
  EXPECT_EQ((*p)["canary"]["weight"], 10.0);
  EXPECT_EQ((*p)["canary"]["min_requests"], 20);
  json block = canary_block((*p)["canary"], "m", 7);
  EXPECT_EQ(block["version"], "7");
  EXPECT_EQ(block["steps"], json::array({10.0, 100}));
}

TEST(RetrainPolicy, BadFieldsAreNamed) {
  auto message = [](const json& body) {
    auto p = parse_retrain_policy(body, 60);
    EXPECT_FALSE(p.ok());
    return p.ok() ? std::string() : p.status().message();
  };
  EXPECT_NE(message({{"triggers", {{"schedule", "61 * * * *"}}}}).find("triggers.schedule"), std::string::npos);
  EXPECT_NE(message({{"triggers", {{"alert", 3}}}}).find("triggers.alert"), std::string::npos);
  EXPECT_NE(message({{"triggers", {{"when", 1}}}}).find("triggers.when"), std::string::npos);
  EXPECT_NE(message({{"canary", {{"weight", 10}}}}).find("canary.service"), std::string::npos);
  EXPECT_NE(message({{"canary", {{"service", "s"}, {"weight", 100}}}}).find("canary.weight"), std::string::npos);
  EXPECT_NE(message({{"min_interval_seconds", 10}}).find("at least 60"), std::string::npos);
  EXPECT_NE(message({{"recipe", {{"kind", "train.xgboost"}}}}).find("recipe.params"), std::string::npos);
  EXPECT_NE(message({{"from_version", 0}}).find("from_version"), std::string::npos);
  EXPECT_NE(message({{"colour", "red"}}).find("colour"), std::string::npos);
}

}  // namespace
}  // namespace maas::training::retrain
