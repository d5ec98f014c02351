#include <gtest/gtest.h>

#include <filesystem>

#include "common/random.h"
#include "store/sqlite/sqlite_gateway_store.h"

namespace maas::store::sqlite {
namespace {

class GatewayStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("maas-gw-store-" + random_hex(6));
    std::filesystem::create_directories(dir_);
    auto opened = SqliteGatewayStore::open(dir_ / "metadata.db");
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    store_ = std::move(*opened);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::unique_ptr<SqliteGatewayStore> store_;
};

TEST_F(GatewayStoreTest, ABatchOfAuditRecordsKeepsEachRecord) {
  std::vector<AuditRecord> batch;
  for (int i = 0; i < 3; ++i) {
    batch.push_back({0, 1000 + i, "k" + std::to_string(i), "actor", i == 1 ? "DELETE" : "POST",
                     "/api/v1/models/m" + std::to_string(i), 200 + i, "r" + std::to_string(i)});
  }
  ASSERT_TRUE(store_->append_audit(batch).ok());
  auto listed = store_->list_audit(0, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const auto& r = (*listed)[static_cast<size_t>(2 - i)];  // newest first
    EXPECT_EQ(r.key_id, "k" + std::to_string(i));
    EXPECT_EQ(r.path, "/api/v1/models/m" + std::to_string(i));
    EXPECT_EQ(r.status, 200 + i);
  }
  auto older = store_->list_audit((*listed)[0].id, 10);
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(older->size(), 2u);
}

TEST_F(GatewayStoreTest, AuditTrimmingDeletesByAgeAndKeepsTheNewestRows) {
  std::vector<AuditRecord> batch;
  for (int i = 0; i < 30; ++i) batch.push_back({0, 1000 + i, "k", "actor", "POST", "/api/v1/x", 200, "r"});
  ASSERT_TRUE(store_->append_audit(batch).ok());
  auto kept_at = [this] {
    std::vector<int64_t> at;
    auto records = store_->list_audit(0, 100);
    for (const auto& r : *records) at.push_back(r.at_ms);
    return at;
  };
  EXPECT_EQ(*store_->trim_audit(0, 0), 0);  // no limits: nothing goes
  EXPECT_EQ(*store_->trim_audit(1010, 0), 10);  // older than 1010: the first ten
  EXPECT_EQ(kept_at().back(), 1010);
  EXPECT_EQ(*store_->trim_audit(0, 5), 15);  // the newest five stay
  EXPECT_EQ(kept_at(), (std::vector<int64_t>{1029, 1028, 1027, 1026, 1025}));
  EXPECT_EQ(*store_->trim_audit(1027, 5), 2);  // both limits: the stricter wins
  EXPECT_EQ(*store_->trim_audit(5000, 0), 3);  // all old
  EXPECT_TRUE(kept_at().empty());
  EXPECT_EQ(*store_->trim_audit(5000, 1), 0);  // empty table
}

TEST_F(GatewayStoreTest, UsageDeltasAddUpPerKeyAndPeriod) {
  ASSERT_TRUE(store_->add_usage({{"a", "day:2026-11-26", 2, 10}, {"b", "day:2026-11-26", 1, 0},
                                 {"a", "month:2026-11", 2, 10}}).ok());
  ASSERT_TRUE(store_->add_usage({{"a", "day:2026-11-26", 3, 5}}).ok());
  EXPECT_EQ(*store_->usage("a", "day:2026-11-26"), std::make_pair(int64_t{5}, int64_t{15}));
  EXPECT_EQ(*store_->usage("b", "day:2026-11-26"), std::make_pair(int64_t{1}, int64_t{0}));
  EXPECT_EQ(*store_->usage("a", "month:2026-11"), std::make_pair(int64_t{2}, int64_t{10}));
  EXPECT_EQ(*store_->usage("c", "day:2026-11-26"), std::make_pair(int64_t{0}, int64_t{0}));
}

TEST_F(GatewayStoreTest, ServiceWritesNameTheRevisionTheyRead) {
  ServiceRecord s{"svc", {{"routes", 1}}, nlohmann::json::object(), 0, 0, 0};
  ASSERT_TRUE(store_->create_service(s).ok());
  EXPECT_EQ(store_->create_service(s).code(), StatusCode::kAlreadyExists);
  auto updated = store_->update_service("svc", {{"routes", 2}}, {{"phase", "x"}}, 1);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->revision, 2);
  EXPECT_EQ(store_->update_service("svc", {{"routes", 3}}, {}, 1).status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->append_service_event({0, "svc", 5, "created", "made", {}}).ok());
  ASSERT_TRUE(store_->append_service_event({0, "svc", 6, "updated", "changed", {}}).ok());
  auto events = store_->list_service_events("svc", 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].kind, "created");
  EXPECT_EQ((*events)[1].kind, "updated");
  ASSERT_TRUE(store_->delete_service("svc").ok());
  EXPECT_TRUE(store_->list_service_events("svc", 10)->empty()) << "events go with their service";
}

}  // namespace
}  // namespace maas::store::sqlite
