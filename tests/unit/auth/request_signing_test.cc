#include "auth/request_signing.h"

#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>

#include "auth/key_secret.h"
#include "auth/keys.h"
#include "auth/request_signature.h"
#include "auth/secret_box.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/sha256.h"
#include "store/sqlite/sqlite_gateway_store.h"

namespace maas::auth {
namespace {

// The worked example of docs/SECURITY.md#signed-requests: if this test changes, so must the doc.
constexpr const char* kExampleSecret = "maassig_00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
constexpr const char* kExampleCanonical =
    "POST\n"
    "/v2/models/iris/infer\n"
    "a=x%20y&b=2\n"
    "host:maas.example.com:8443\n"
    "x-maas-content-sha256:62b512d8c76bbed3048fc81bd94bd2aeaab2de4d3b36edbed2f3d3dd8ff3e33e\n"
    "x-maas-date:20261207T223000Z\n"
    "x-maas-nonce:3f1c2a9b7d4e6f80a1b2c3d4e5f60718\n"
    "\n"
    "host;x-maas-content-sha256;x-maas-date;x-maas-nonce\n"
    "62b512d8c76bbed3048fc81bd94bd2aeaab2de4d3b36edbed2f3d3dd8ff3e33e";
constexpr const char* kExampleStringToSign =
    "MAAS-HMAC-SHA256\n"
    "20261207T223000Z\n"
    "20261207/maas_request\n"
    "3dc9b17a114f1707e90d360dbdc162d46f094801f8744e9e8d31d2a3d8b0e29f";
constexpr const char* kExampleSignature = "df8a3e245b57c68e3ce54b193b62d51b47c2f48ebc9376f23136eaef6e8a4b67";

http::Request example_request() {
  http::Request req;
  req.method = "POST";
  req.target = "/v2/models/iris/infer?b=2&a=x%20y";
  req.path = "/v2/models/iris/infer";
  req.query = {{"b", "2"}, {"a", "x y"}};
  req.body = R"({"inputs":[]})";
  req.headers = {{"host", "maas.example.com:8443"},
                 {"content-type", "application/json"},  // not signed: not in the canonical request
                 {"x-maas-date", "20261207T223000Z"},
                 {"x-maas-nonce", "3f1c2a9b7d4e6f80a1b2c3d4e5f60718"},
                 {"x-maas-content-sha256", sha256_hex(R"({"inputs":[]})")}};
  return req;
}

TEST(RequestSignature, WorkedExampleOfTheDocs) {
  http::Request req = example_request();
  auto header = parse_signature_header(
      "MAAS-HMAC-SHA256 Credential=kexample0001/20261207, "
      "SignedHeaders=host;x-maas-content-sha256;x-maas-date;x-maas-nonce, Signature=" +
      std::string(kExampleSignature));
  ASSERT_TRUE(header.ok()) << header.status().to_string();
  EXPECT_EQ(header->key_id, "kexample0001");
  EXPECT_EQ(header->scope_date, "20261207");
  std::string canonical = canonical_request(req, header->signed_headers, *req.header("x-maas-content-sha256"));
  EXPECT_EQ(canonical, kExampleCanonical);
  std::string to_sign = string_to_sign("20261207T223000Z", "20261207", canonical);
  EXPECT_EQ(to_sign, kExampleStringToSign);
  EXPECT_EQ(signature_hex(signing_key(kExampleSecret, "20261207"), to_sign), kExampleSignature);
}

TEST(RequestSignature, RefusesAHeaderThatLeavesARequiredOneUnsigned) {
  auto header = parse_signature_header(
      "MAAS-HMAC-SHA256 Credential=k1/20261207, SignedHeaders=host;x-maas-date;"
      "x-maas-content-sha256, Signature=" +
      std::string(64, 'a'));
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(header.status().message().rfind("missing_signed_header:", 0), 0u) << header.status().message();
  for (const char* bad :
       {"MAAS-HMAC-SHA256 Credential=k1, SignedHeaders=host, Signature=ab",
        "MAAS-HMAC-SHA256 Credential=k1/2026120, SignedHeaders=host, Signature=ab", "MAAS-HMAC-SHA256 Nonsense"}) {
    auto parsed = parse_signature_header(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().message().rfind("malformed_authorization:", 0), 0u) << parsed.status().message();
  }
}

TEST(RequestSignature, ParsesTheDateHeader) {
  EXPECT_EQ(parse_signature_date("20261207T223000Z"), 1796682600);
  EXPECT_FALSE(parse_signature_date("2026-12-07T22:30:00Z"));
  EXPECT_FALSE(parse_signature_date("20261307T223000Z"));
}

TEST(NonceCache, RefusesAReplayUntilItExpiresAndRefusesWhenFull) {
  NonceCache cache(2);
  EXPECT_EQ(cache.remember("k/a", 100, 400), NonceCache::Outcome::kFresh);
  EXPECT_EQ(cache.remember("k/a", 200, 500), NonceCache::Outcome::kReplayed);
  EXPECT_EQ(cache.remember("k/b", 200, 500), NonceCache::Outcome::kFresh);
  EXPECT_EQ(cache.remember("k/c", 200, 500), NonceCache::Outcome::kFull);
  EXPECT_EQ(cache.remember("k/a", 401, 701), NonceCache::Outcome::kFresh);  // "k/a" expired at 400
  EXPECT_EQ(cache.size(), 2u);
}

TEST(SecretBox, OpensOnlyUnderItsKeyAndContext) {
  SecretBox box(std::string(32, 'k'));
  auto sealed = box.seal("the secret", "k1");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->find("the secret"), std::string::npos);
  EXPECT_EQ(*box.open(*sealed, "k1"), "the secret");
  EXPECT_FALSE(box.open(*sealed, "k2").ok());
  EXPECT_FALSE(SecretBox(std::string(32, 'x')).open(*sealed, "k1").ok());
  std::string altered = *sealed;
  altered[10] = altered[10] == '0' ? '1' : '0';
  EXPECT_FALSE(box.open(altered, "k1").ok());
}

std::string utc_stamp(int64_t unix_s) {
  std::time_t t = unix_s;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[17];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

class SignedRequestsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("maas-signing-" + random_hex(6));
    std::filesystem::create_directories(dir_);
    auto store = store::sqlite::SqliteGatewayStore::open(dir_ / "metadata.db");
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    auto kek = open_signing_kek(std::nullopt, dir_ / "signing.kek", *store_);
    ASSERT_TRUE(kek.ok()) << kek.status().to_string();
    EXPECT_EQ(std::filesystem::status(dir_ / "signing.kek").permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    keys_ = std::make_unique<KeyService>(*store_, std::string(32, 's'));
    keys_->set_request_signing(std::make_shared<RequestSigning>(SecretBox(*kek), SigningOptions{300, 1000}));
    NewKey spec;
    spec.name = "signer";
    spec.role = "invoker";
    spec.signing_secret = true;
    auto created = keys_->create(spec);
    ASSERT_TRUE(created.ok()) << created.status().to_string();
    key_id_ = created->record.id;
    secret_ = created->signing_secret;
    ASSERT_FALSE(secret_.empty());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A request signed with `secret` at `at_s` with `nonce`.
  http::Request signed_request(const std::string& secret, int64_t at_s, const std::string& nonce) {
    http::Request req = example_request();
    std::string date = utc_stamp(at_s);
    for (auto& [name, value] : req.headers) {
      if (name == "x-maas-date") value = date;
      if (name == "x-maas-nonce") value = nonce;
    }
    std::vector<std::string> names = {"host", "x-maas-content-sha256", "x-maas-date", "x-maas-nonce"};
    std::string canonical = canonical_request(req, names, sha256_hex(req.body));
    std::string signature =
        signature_hex(signing_key(secret, date.substr(0, 8)), string_to_sign(date, date.substr(0, 8), canonical));
    req.headers.emplace_back("authorization", "MAAS-HMAC-SHA256 Credential=" + key_id_ + "/" + date.substr(0, 8) +
                                                  ", SignedHeaders=host;x-maas-content-sha256;x-maas-date;"
                                                  "x-maas-nonce, Signature=" +
                                                  signature);
    return req;
  }
  std::string refusal(const http::Request& req) {
    auto p = keys_->authorize(req, http::Access::kInvoke);
    if (p.ok()) return "accepted";
    EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated) << p.status().message();
    return p.status().message().substr(0, p.status().message().find(':'));
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteGatewayStore> store_;
  std::unique_ptr<KeyService> keys_;
  std::string key_id_, secret_;
};

TEST_F(SignedRequestsTest, AcceptsACorrectSignatureAndNamesTheBodyHash) {
  auto p =
      keys_->authorize(signed_request(secret_, now_unix_ms() / 1000, "nonce-0000000000001"), http::Access::kInvoke);
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ((*p)->key_id, key_id_);
  EXPECT_EQ((*p)->body_sha256, sha256_hex(R"({"inputs":[]})"));
  auto stored = store_->list_keys();
  ASSERT_TRUE(stored.ok());
  for (const auto& k : *stored) EXPECT_EQ(k.signing_secret.find(secret_), std::string::npos);  // sealed, not plain
}

TEST_F(SignedRequestsTest, RefusesEachFailureWithItsReason) {
  int64_t now = now_unix_ms() / 1000;
  http::Request changed = signed_request(secret_, now, "nonce-0000000000002");
  changed.query[0].second = "3";
  EXPECT_EQ(refusal(changed), "signature_mismatch");
  EXPECT_EQ(refusal(signed_request("maassig_not-the-secret", now, "nonce-0000000000003")), "signature_mismatch");
  EXPECT_EQ(refusal(signed_request(secret_, now - 301, "nonce-0000000000004")), "stale_timestamp");
  EXPECT_EQ(refusal(signed_request(secret_, now + 301, "nonce-0000000000005")), "stale_timestamp");
  http::Request once = signed_request(secret_, now, "nonce-0000000000006");
  EXPECT_EQ(refusal(once), "accepted");
  EXPECT_EQ(refusal(once), "replayed_nonce");
  http::Request unsigned_host = signed_request(secret_, now, "nonce-0000000000007");
  std::erase_if(unsigned_host.headers, [](const auto& h) { return h.first == "host"; });
  EXPECT_EQ(refusal(unsigned_host), "missing_signed_header");
  http::Request unknown = signed_request(secret_, now, "nonce-0000000000008");
  unknown.headers.back().second.replace(unknown.headers.back().second.find(key_id_), key_id_.size(), "knotakey00");
  EXPECT_EQ(refusal(unknown), "unknown_key");
}

TEST_F(SignedRequestsTest, ANewSecretReplacesTheOld) {
  auto renewed = keys_->new_signing_secret(key_id_);
  ASSERT_TRUE(renewed.ok()) << renewed.status().to_string();
  int64_t now = now_unix_ms() / 1000;
  EXPECT_EQ(refusal(signed_request(secret_, now, "nonce-0000000000010")), "signature_mismatch");
  EXPECT_EQ(refusal(signed_request(*renewed, now, "nonce-0000000000011")), "accepted");
}

TEST_F(SignedRequestsTest, ACertificateSubjectAuthenticatesAsItsKey) {
  NewKey spec;
  spec.name = "ci";
  spec.role = "viewer";
  spec.cert_subject = "CN=ci,O=Example";
  auto created = keys_->create(spec);
  ASSERT_TRUE(created.ok()) << created.status().to_string();
  http::Request req;
  req.client_cert_subject = "CN=ci,O=Example";
  auto p = keys_->authorize(req, http::Access::kRead);
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ((*p)->key_id, created->record.id);
  EXPECT_EQ(keys_->authorize(req, http::Access::kDeploy).status().code(), StatusCode::kPermissionDenied);
  req.client_cert_subject = "CN=ci,O=Other";
  EXPECT_EQ(keys_->authorize(req, http::Access::kRead).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(keys_->bind_cert_subject(key_id_, "CN=ci,O=Example").status().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(keys_->revoke(created->record.id).ok());
  req.client_cert_subject = "CN=ci,O=Example";
  EXPECT_EQ(keys_->authorize(req, http::Access::kRead).status().code(), StatusCode::kUnauthenticated);
}

TEST(SigningKek, IsNotRemadeWhileSealedSecretsNeedIt) {
  auto dir = std::filesystem::temp_directory_path() / ("maas-kek-" + random_hex(6));
  std::filesystem::create_directories(dir);
  auto store = store::sqlite::SqliteGatewayStore::open(dir / "metadata.db");
  ASSERT_TRUE(store.ok());
  auto kek = open_signing_kek(std::nullopt, dir / "signing.kek", **store);
  ASSERT_TRUE(kek.ok());
  KeyService keys(**store, std::string(32, 's'));
  keys.set_request_signing(std::make_shared<RequestSigning>(SecretBox(*kek), SigningOptions{}));
  NewKey spec;
  spec.name = "signer";
  spec.role = "invoker";
  spec.signing_secret = true;
  ASSERT_TRUE(keys.create(spec).ok());
  std::filesystem::remove(dir / "signing.kek");
  EXPECT_EQ(open_signing_kek(std::nullopt, dir / "signing.kek", **store).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(open_signing_kek(std::string(64, 'a'), dir / "signing.kek", **store)->size(), 32u);
  EXPECT_EQ(open_signing_kek(std::string("abc"), dir / "signing.kek", **store).status().code(),
            StatusCode::kInvalidArgument);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace maas::auth
