#include "auth/audit.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/random.h"
#include "store/sqlite/sqlite_gateway_store.h"

namespace maas::auth {
namespace {

TEST(CapField, CutsLongTextWithAMarkerAndNeverInsideACharacter) {
  EXPECT_EQ(cap_field("short", 64), "short");
  std::string cut = cap_field(std::string(1000, 'a'), 64);
  EXPECT_LE(cut.size(), 64u);
  EXPECT_TRUE(cut.ends_with("a…[+968 bytes]")) << cut;
  // "é" is two bytes; a cut that would split one backs off to its start.
  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "é";
  std::string cut_accents = cap_field(accents, 65);
  size_t kept = cut_accents.find("…");
  ASSERT_NE(kept, std::string::npos);
  EXPECT_EQ(kept % 2, 0u);
  EXPECT_EQ(cut_accents.substr(0, kept), accents.substr(0, kept));
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("maas-audit-" + random_hex(6));
    std::filesystem::create_directories(dir_);
    auto store = store::sqlite::SqliteGatewayStore::open(dir_ / "metadata.db");
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static http::Request post(const std::string& path, bool with_key) {
    http::Request req;
    req.method = "POST";
    req.path = path;
    req.route = "/api/v1/models";
    if (with_key) {
      auto p = std::make_shared<http::Principal>();
      p->key_id = "k1";
      p->name = "ci";
      req.principal = p;
    }
    return req;
  }
  double counter(const std::string& name, const std::string& needle) {
    for (const auto& s : metrics_.samples()) {
      if (s.name != name) continue;
      bool all = needle.empty();
      for (const auto& [k, v] : s.labels) all = all || v == needle;
      if (all) return s.value;
    }
    return -1;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteGatewayStore> store_;
  metrics::Registry metrics_;
};

TEST_F(AuditLogTest, RefusedRequestsWithoutAKeyAreCountedAndSampledOthersAllKept) {
  AuditOptions options;
  options.anonymous_per_second = 2;  // a bucket of two, refilled slowly enough not to matter here
  AuditLog audit(*store_, metrics_, options);
  for (int i = 0; i < 100; ++i) audit.observe(post("/api/v1/models/" + std::string(2000, 'x'), false), 401);
  for (int i = 0; i < 3; ++i) audit.observe(post("/api/v1/models", true), 201);
  audit.flush();
  auto records = store_->list_audit(0, 1000);
  ASSERT_TRUE(records.ok());
  size_t anonymous = 0;
  for (const auto& r : *records) {
    anonymous += r.actor == "anonymous";
    EXPECT_LE(r.path.size(), options.max_field_bytes);
  }
  EXPECT_GE(anonymous, 2u);
  EXPECT_LE(anonymous, 3u);  // the burst, and at most one more refilled while the loop ran
  EXPECT_EQ(records->size() - anonymous, 3u);
  EXPECT_EQ(counter("maas_audit_anonymous_refusals_total", "401"), 100);
  EXPECT_EQ(counter("maas_audit_unrecorded_total", "sampled"), static_cast<double>(100 - anonymous));
}

TEST_F(AuditLogTest, RetentionRunsOnItsOwnAndIsCounted) {
  AuditOptions options;
  options.max_rows = 2;
  options.retention_interval = std::chrono::milliseconds(20);
  AuditLog audit(*store_, metrics_, options);
  for (int i = 0; i < 6; ++i) audit.observe(post("/api/v1/models", true), 201);
  audit.flush();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (store_->list_audit(0, 100)->size() > 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(store_->list_audit(0, 100)->size(), 2u);
  EXPECT_EQ(*audit.enforce_retention(), 0);
}

}  // namespace
}  // namespace maas::auth
