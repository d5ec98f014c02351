#include <gtest/gtest.h>

#include <filesystem>

#include "common/random.h"
#include "store/sqlite/sqlite_job_store.h"

namespace maas::store::sqlite {
namespace {

class JobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("maas-job-store-" + random_hex(6));
    std::filesystem::create_directories(dir_);
    reopen();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void reopen() {
    store_.reset();
    auto opened = SqliteJobStore::open(dir_ / "metadata.db");
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    store_ = std::move(*opened);
  }
  JobRecord job(const std::string& id, std::string_view state = kJobQueued, const std::string& owner = "k1") {
    JobRecord j;
    j.id = id;
    j.kind = id.rfind("v", 0) == 0 ? "verify" : "steps";
    j.params = {{"steps", 3}};
    j.state = std::string(state);
    j.owner = owner;
    j.max_attempts = 2;
    j.created_at_ms = 1000;
    j.updated_at_ms = 1000;
    return j;
  }
  std::filesystem::path dir_;
  std::unique_ptr<SqliteJobStore> store_;
};

TEST_F(JobStoreTest, AJobRoundTripsWithEveryField) {
  JobRecord j = job("a");
  j.priority = 5;
  j.cpu_slots = 2;
  j.memory_bytes = 1ull << 33;
  j.started_at_ms = 1500;
  j.progress = 0.25;
  j.progress_message = "step 1";
  j.progress_metrics = {{"loss", 0.5}};
  j.result = {{"ok", true}};
  j.checkpoint = "a/checkpoint";
  ASSERT_TRUE(store_->create_job(j).ok());
  EXPECT_EQ(store_->create_job(j).code(), StatusCode::kAlreadyExists);
  auto got = store_->get_job("a");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->params, j.params);
  EXPECT_EQ(got->priority, 5);
  EXPECT_EQ(got->memory_bytes, 1ull << 33);
  EXPECT_EQ(got->started_at_ms, std::optional<int64_t>(1500));
  EXPECT_FALSE(got->finished_at_ms);
  EXPECT_DOUBLE_EQ(got->progress, 0.25);
  EXPECT_EQ(got->progress_metrics["loss"], 0.5);
  EXPECT_EQ(got->result["ok"], true);
  EXPECT_EQ(got->checkpoint, "a/checkpoint");
  EXPECT_EQ(store_->get_job("nope").status().code(), StatusCode::kNotFound);
}

TEST_F(JobStoreTest, ListsNewestFirstWithFiltersAndPages) {
  for (const char* id : {"s1", "v1", "s2", "v2", "s3"}) ASSERT_TRUE(store_->create_job(job(id, kJobQueued, id[1] == '1' ? "k1" : "k2")).ok());
  auto all = store_->list_jobs({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ(all->front().id, "s3");
  JobQuery steps;
  steps.kind = "steps";
  steps.limit = 2;
  auto page = store_->list_jobs(steps);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, "s3");
  EXPECT_EQ((*page)[1].id, "s2");
  steps.before_id = "s2";
  page = store_->list_jobs(steps);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, "s1");
  JobQuery mine;
  mine.owner = "k1";
  EXPECT_EQ(store_->list_jobs(mine)->size(), 2u);
  mine.before_id = "missing";
  EXPECT_EQ(store_->list_jobs(mine).status().code(), StatusCode::kNotFound);
}

TEST_F(JobStoreTest, UpdatesApplyOnlyFromTheStatesNamed) {
  ASSERT_TRUE(store_->create_job(job("a")).ok());
  auto running = store_->update_job("a", {kJobQueued}, [](JobRecord& j) {
    j.state = std::string(kJobRunning);
    j.attempts = 1;
  });
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(running->attempts, 1);
  auto again = store_->update_job("a", {kJobQueued}, [](JobRecord& j) { j.state = std::string(kJobRunning); });
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.status().message(), "job 'a' is running");
  EXPECT_EQ(store_->update_job("b", {kJobQueued}, [](JobRecord&) {}).status().code(), StatusCode::kNotFound);
}

TEST_F(JobStoreTest, ProgressIsWrittenOnlyWhileAJobRuns) {
  ASSERT_TRUE(store_->create_job(job("q")).ok());
  ASSERT_TRUE(store_->create_job(job("r", kJobRunning)).ok());
  ASSERT_TRUE(store_->update_progress("q", 0.5, "half", {{"step", 5}}).ok());
  ASSERT_TRUE(store_->update_progress("r", 0.5, "half", {{"step", 5}}).ok());
  EXPECT_DOUBLE_EQ(store_->get_job("q")->progress, 0);
  auto r = store_->get_job("r");
  EXPECT_DOUBLE_EQ(r->progress, 0.5);
  EXPECT_EQ(r->progress_message, "half");
  EXPECT_EQ(r->progress_metrics["step"], 5);
}

TEST_F(JobStoreTest, AtStartRunningJobsAreRequeuedAsInterruptionsAndCancellingOnesCancelled) {
  JobRecord running = job("r", kJobRunning);
  running.attempts = 2;
  running.checkpoint = "r/checkpoint";
  ASSERT_TRUE(store_->create_job(running).ok());
  ASSERT_TRUE(store_->create_job(job("c", kJobCancelling)).ok());
  ASSERT_TRUE(store_->create_job(job("q")).ok());
  ASSERT_TRUE(store_->create_job(job("done", kJobSucceeded)).ok());
  reopen();  // as after a kill -9: only what was committed is there
  auto requeued = store_->requeue_interrupted(5000);
  ASSERT_TRUE(requeued.ok());
  ASSERT_EQ(requeued->size(), 1u);
  auto r = store_->get_job("r");
  EXPECT_EQ(r->state, kJobQueued);
  EXPECT_EQ(r->attempts, 1) << "the interrupted attempt is not counted";
  EXPECT_EQ(r->interruptions, 1);
  EXPECT_EQ(r->checkpoint, "r/checkpoint") << "it resumes from its checkpoint";
  auto c = store_->get_job("c");
  EXPECT_EQ(c->state, kJobCancelled);
  EXPECT_EQ(c->finished_at_ms, std::optional<int64_t>(5000));
  EXPECT_EQ(store_->get_job("q")->state, kJobQueued);
  auto active = store_->active_jobs();
  ASSERT_EQ(active->size(), 2u);
  EXPECT_EQ((*active)[0].id, "r");
  EXPECT_EQ((*active)[1].id, "q");
}

TEST_F(JobStoreTest, FinishedJobsAreDeletedAfterTheirRetention) {
  for (auto [id, finished] : {std::pair{"old", 100}, std::pair{"new", 9000}}) {
    JobRecord j = job(id, kJobFailed);
    j.finished_at_ms = finished;
    ASSERT_TRUE(store_->create_job(j).ok());
  }
  ASSERT_TRUE(store_->create_job(job("queued")).ok());
  auto removed = store_->delete_finished_before(5000, 100);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, std::vector<std::string>{"old"});
  EXPECT_EQ(store_->list_jobs({})->size(), 2u);
}

}  // namespace
}  // namespace maas::store::sqlite
