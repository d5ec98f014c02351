#include <gtest/gtest.h>

#include <filesystem>

#include <sys/stat.h>

#include "auth/key_secret.h"
#include "auth/keys.h"
#include "common/files.h"
#include "common/random.h"
#include "common/sha256.h"
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
    auto secret = open_key_secret(dir_ / "keys.secret", *store_);
    ASSERT_TRUE(secret.ok()) << secret.status().to_string();
    secret_ = *secret;
    keys_ = std::make_unique<KeyService>(*store_, secret_);
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
  std::string secret_;
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
  // Any known role may ask about itself (/api/v1/whoami); an unknown one may not.
  for (const char* role : {"admin", "deployer", "invoker", "viewer"}) EXPECT_TRUE(role_allows(role, Access::kSelf));
  EXPECT_FALSE(role_allows("root", Access::kSelf));
  EXPECT_FALSE(role_allows("viewer", Access::kDeploy));
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
  KeyService reloaded(*store_, secret_);
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

std::string sha256_hex(std::string_view text) {
  Sha256 h;
  h.update(text);
  return h.hex_digest();
}

TEST_F(KeysTest, StoredHashesAreHmacsUnderTheSecretNotSha256) {
  NewKey spec;
  spec.name = "ci";
  spec.role = "viewer";
  auto created = keys_->create(spec);
  ASSERT_TRUE(created.ok());
  auto stored = store_->list_keys();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].hash_scheme, store::kHashHmacSha256);
  EXPECT_EQ((*stored)[0].token_hash, HmacSha256(secret_).hex_digest(created->token));
  EXPECT_NE((*stored)[0].token_hash, sha256_hex(created->token));
  // Under another secret the same store authenticates nothing.
  KeyService other(*store_, std::string(kKeySecretBytes, 'x'));
  ASSERT_TRUE(other.load().ok());
  EXPECT_EQ(other.authorize(with_token(created->token), http::Access::kRead).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(KeysTest, ALegacySha256KeyStillAuthenticatesAndIsRehashedOnUse) {
  const std::string token = "maas_klegacy0001_" + random_hex(32);
  store::KeyRecord old{"klegacy0001", "old", "deployer", sha256_hex(token), nlohmann::json::object(), "admin",
                       1, std::nullopt, std::nullopt, store::kHashSha256};
  ASSERT_TRUE(store_->create_key(old).ok());
  const std::string revoked_token = "maas_klegacy0002_" + random_hex(32);
  store::KeyRecord revoked{"klegacy0002", "gone", "deployer", sha256_hex(revoked_token), nlohmann::json::object(),
                           "admin", 1, std::nullopt, int64_t{2}, store::kHashSha256};
  ASSERT_TRUE(store_->create_key(revoked).ok());
  KeyService keys(*store_, secret_);
  ASSERT_TRUE(keys.load().ok());

  EXPECT_EQ(keys.authorize(with_token(revoked_token), http::Access::kRead).status().code(),
            StatusCode::kUnauthenticated);
  auto who = keys.authorize(with_token(token), http::Access::kRead);
  ASSERT_TRUE(who.ok()) << who.status().to_string();
  EXPECT_EQ((*who)->key_id, "klegacy0001");
  auto stored = store_->list_keys();
  ASSERT_TRUE(stored.ok());
  for (const auto& k : *stored) {
    if (k.id == "klegacy0001") {
      EXPECT_EQ(k.hash_scheme, store::kHashHmacSha256);
      EXPECT_EQ(k.token_hash, HmacSha256(secret_).hex_digest(token));
    } else {
      EXPECT_EQ(k.hash_scheme, store::kHashSha256);  // a revoked key is never used, so never rehashed
    }
  }
  // Still good, now through its HMAC, here and after a restart.
  EXPECT_TRUE(keys.authorize(with_token(token), http::Access::kRead).ok());
  KeyService restarted(*store_, secret_);
  ASSERT_TRUE(restarted.load().ok());
  EXPECT_TRUE(restarted.authorize(with_token(token), http::Access::kRead).ok());
}

TEST_F(KeysTest, TheBootstrapAdminsLegacyHashIsReplacedAtStart) {
  store::KeyRecord old{"admin", "bootstrap admin (MAAS_ADMIN_KEY)", "admin", sha256_hex("first-admin-secret-0001"),
                       nlohmann::json::object(), "maasd", 1, std::nullopt, std::nullopt, store::kHashSha256};
  ASSERT_TRUE(store_->create_key(old).ok());
  KeyService keys(*store_, secret_);
  ASSERT_TRUE(keys.load().ok());
  ASSERT_TRUE(keys.bootstrap_admin(std::string("first-admin-secret-0001"), dir_ / "admin.key").ok());
  auto stored = store_->list_keys();
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ((*stored)[0].hash_scheme, store::kHashHmacSha256);
  EXPECT_EQ((*stored)[0].token_hash, HmacSha256(secret_).hex_digest("first-admin-secret-0001"));
  EXPECT_TRUE(keys.authorize(with_token("first-admin-secret-0001"), http::Access::kAdmin).ok());
}

TEST_F(KeysTest, TheSecretIsMadeOncePrivateAndNeverRemadeUnderKeysItHashed) {
  auto path = dir_ / "keys.secret";
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(secret_.size(), kKeySecretBytes);
  auto again = open_key_secret(path, *store_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, secret_);  // read, not remade
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  }

  NewKey spec;
  spec.name = "ci";
  spec.role = "viewer";
  ASSERT_TRUE(keys_->create(spec).ok());
  std::filesystem::remove(path);
  auto lost = open_key_secret(path, *store_);
  EXPECT_EQ(lost.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(lost.status().message().find("restore it"), std::string::npos) << lost.status().message();
  EXPECT_FALSE(std::filesystem::exists(path));

  ASSERT_TRUE(write_file_atomic(path, "short").ok());
  EXPECT_EQ(open_key_secret(path, *store_).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace maas::auth
