#include <gtest/gtest.h>

#include <filesystem>

#include "auth/keys.h"
#include "common/random.h"
#include "store/sqlite/sqlite_gateway_store.h"

namespace maas::auth {
namespace {

class KeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("maas-keys-" + random_hex(6));
    std::filesystem::create_directories(dir_);
    auto store = store::sqlite::SqliteGatewayStore::open(dir_ / "metadata.db");
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    keys_ = std::make_unique<KeyService>(*store_);
    ASSERT_TRUE(keys_->load().ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  http::Request with_token(const std::string& token) {
    http::Request req;
    req.headers.emplace_back("authorization", "Bearer " + token);
    return req;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteGatewayStore> store_;
  std::unique_ptr<KeyService> keys_;
};

TEST(RoleAllows, FollowsTheRoleTable) {
  using http::Access;
  EXPECT_TRUE(role_allows("admin", Access::kAdmin));
  EXPECT_TRUE(role_allows("deployer", Access::kDeploy));
  EXPECT_FALSE(role_allows("deployer", Access::kAdmin));
  EXPECT_TRUE(role_allows("invoker", Access::kInvoke));
  EXPECT_FALSE(role_allows("invoker", Access::kRead));
  EXPECT_TRUE(role_allows("viewer", Access::kRead));
  EXPECT_FALSE(role_allows("viewer", Access::kInvoke));
  EXPECT_FALSE(role_allows("root", Access::kRead));
}

TEST_F(KeysTest, ACreatedKeyAuthenticatesUntilRevokedAndSurvivesARestart) {
  NewKey spec;
  spec.name = "ci";
  spec.role = "invoker";
  spec.services = {"svc"};
  auto created = keys_->create(spec);
  ASSERT_TRUE(created.ok());
  EXPECT_NE(created->record.token_hash, created->token);
  auto who = keys_->authorize(with_token(created->token), http::Access::kInvoke);
  ASSERT_TRUE(who.ok()) << who.status().to_string();
  EXPECT_EQ((*who)->key_id, created->record.id);
  EXPECT_TRUE((*who)->may_invoke("svc"));
  EXPECT_FALSE((*who)->may_invoke("other"));
  EXPECT_EQ(keys_->authorize(with_token(created->token), http::Access::kDeploy).status().code(),
            StatusCode::kPermissionDenied);
  KeyService reloaded(*store_);
  ASSERT_TRUE(reloaded.load().ok());
  EXPECT_TRUE(reloaded.authorize(with_token(created->token), http::Access::kInvoke).ok());
  ASSERT_TRUE(keys_->revoke(created->record.id).ok());
  EXPECT_EQ(keys_->authorize(with_token(created->token), http::Access::kInvoke).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(keys_->authorize(with_token(created->token + "x"), http::Access::kInvoke).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(KeysTest, TheBootstrapAdminFollowsMaasAdminKey) {
  auto none = keys_->bootstrap_admin(std::string("first-admin-secret-0001"), dir_ / "admin.key");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_TRUE(keys_->authorize(with_token("first-admin-secret-0001"), http::Access::kAdmin).ok());
  ASSERT_TRUE(keys_->bootstrap_admin(std::string("rotated-admin-secret-02"), dir_ / "admin.key").ok());
  EXPECT_FALSE(keys_->authorize(with_token("first-admin-secret-0001"), http::Access::kAdmin).ok());
  EXPECT_TRUE(keys_->authorize(with_token("rotated-admin-secret-02"), http::Access::kAdmin).ok());
  EXPECT_FALSE(keys_->bootstrap_admin(std::string("short"), dir_ / "admin.key").ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "admin.key"));
}

}  // namespace
}  // namespace maas::auth
