#include "auth/jwt.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "common/base64.h"

namespace maas::auth {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr int64_t kNow = 1'800'000'000;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Pkey rsa_key(size_t bits = 2048) { return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits)); }
Pkey ec_key(const char* curve = "P-256") { return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve)); }

void write_public_pem(EVP_PKEY* key, const fs::path& path) {
  BIO* bio = BIO_new_file(path.c_str(), "w");
  ASSERT_NE(bio, nullptr);
  ASSERT_EQ(PEM_write_bio_PUBKEY(bio, key), 1);
  BIO_free(bio);
}

std::string sign(EVP_PKEY* key, std::string_view data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
  size_t n = 0;
  EVP_DigestSign(ctx, nullptr, &n, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::string sig(n, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &n, reinterpret_cast<const unsigned char*>(data.data()),
                 data.size());
  sig.resize(n);
  EVP_MD_CTX_free(ctx);
  if (!EVP_PKEY_is_a(key, "EC")) return sig;
  // DER -> r || s, as JWS carries it.
  const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
  ECDSA_SIG* ecdsa = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(ecdsa), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(ecdsa), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  ECDSA_SIG_free(ecdsa);
  return raw;
}

std::string token(EVP_PKEY* key, json header, const json& claims) {
  std::string signed_part = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  return signed_part + "." + base64url_encode(sign(key, signed_part));
}

json claims(json extra = json::object()) {
  json c = {{"iss", "https://idp.example"}, {"aud", "maas"}, {"sub", "alice"}, {"exp", kNow + 600},
            {"maas_role", "invoker"}, {"maas_services", {"chat"}}};
  for (auto& [k, v] : extra.items()) {
    if (v.is_null()) {
      c.erase(k);
    } else {
      c[k] = v;
    }
  }
  return c;
}

class JwtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("maas-jwt-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    write_public_pem(rsa_.get(), dir_ / "rsa1.pem");
    write_public_pem(ec_.get(), dir_ / "ec1.pem");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<JwtVerifier> verifier(std::vector<fs::path> files = {}) {
    if (files.empty()) files = {dir_ / "rsa1.pem", dir_ / "ec1.pem"};
    auto v = JwtVerifier::create({files, "https://idp.example", "maas"});
    EXPECT_TRUE(v.ok()) << v.status().to_string();
    return v.ok() ? std::move(*v) : nullptr;
  }

  fs::path dir_;
  Pkey rsa_ = rsa_key();
  Pkey ec_ = ec_key();
};

TEST_F(JwtTest, AcceptsRs256AndEs256AndMapsTheClaims) {
  auto v = verifier();
  for (auto* key : {rsa_.get(), ec_.get()}) {
    const char* alg = EVP_PKEY_is_a(key, "EC") ? "ES256" : "RS256";
    auto p = v->verify(token(key, {{"alg", alg}, {"typ", "JWT"}}, claims()), kNow);
    ASSERT_TRUE(p.ok()) << alg << ": " << p.status().to_string();
    EXPECT_EQ((*p)->key_id, "jwt:alice");
    EXPECT_EQ((*p)->role, "invoker");
    EXPECT_EQ((*p)->services, std::vector<std::string>{"chat"});
    EXPECT_TRUE((*p)->may_invoke("chat"));
    EXPECT_FALSE((*p)->may_invoke("other"));
  }
  auto listed_audience = v->verify(token(rsa_.get(), {{"alg", "RS256"}}, claims({{"aud", {"x", "maas"}}})), kNow);
  EXPECT_TRUE(listed_audience.ok()) << listed_audience.status().to_string();
}

TEST_F(JwtTest, RefusesWhatMustNotPass) {
  auto v = verifier();
  auto refused = [&](const std::string& t, const std::string& needle, int64_t now = kNow) {
    auto p = v->verify(t, now);
    ASSERT_FALSE(p.ok()) << t;
    EXPECT_NE(p.status().message().find(needle), std::string::npos) << p.status().message();
  };
  json rs = {{"alg", "RS256"}};
  refused(token(rsa_.get(), rs, claims()), "expired", kNow + 600 + 61);
  EXPECT_TRUE(v->verify(token(rsa_.get(), rs, claims()), kNow + 600 + 59).ok()) << "within the leeway";
  refused(token(rsa_.get(), rs, claims({{"nbf", kNow + 3600}})), "not valid before");
  refused(token(rsa_.get(), rs, claims({{"exp", nullptr}})), "no 'exp'");
  refused(token(rsa_.get(), rs, claims({{"iss", "https://evil.example"}})), "issuer");
  refused(token(rsa_.get(), rs, claims({{"aud", "someone-else"}})), "audience");
  refused(token(rsa_.get(), rs, claims({{"sub", nullptr}})), "subject");
  refused(token(rsa_.get(), rs, claims({{"maas_role", "root"}})), "admin, deployer, invoker or viewer");
  // Signed by a key maas does not know.
  Pkey stranger = rsa_key();
  refused(token(stranger.get(), rs, claims()), "does not verify");
  // A payload changed after signing.
  std::string t = token(rsa_.get(), rs, claims());
  size_t dot1 = t.find('.'), dot2 = t.rfind('.');
  std::string forged = t.substr(0, dot1 + 1) + base64url_encode(claims({{"maas_role", "admin"}}).dump()) + t.substr(dot2);
  refused(forged, "does not verify");
  // Algorithms maas never accepts, whatever the token says: unsigned, and HMAC with the public key as the secret.
  std::string none = base64url_encode(json({{"alg", "none"}}).dump()) + "." + base64url_encode(claims().dump()) + ".";
  refused(none, "RS256 and ES256 only");
  refused(token(rsa_.get(), {{"alg", "HS256"}}, claims()), "RS256 and ES256 only");
  // An RSA signature presented as ES256 (and the other way round) is not tried against the other kind of key.
  refused(token(rsa_.get(), {{"alg", "ES256"}}, claims()), "64 bytes");
  refused(token(ec_.get(), rs, claims()), "does not verify");
  refused("eyJ.not base64.x", "base64url");
}

TEST_F(JwtTest, AKidPicksItsKeyAndReloadRotatesKeys) {
  auto v = verifier({dir_ / "rsa1.pem"});
  std::string t = token(rsa_.get(), {{"alg", "RS256"}, {"kid", "rsa1"}}, claims());
  ASSERT_TRUE(v->verify(t, kNow).ok());
  // Rotate: the file now holds another key. Until reload the old token passes (and is cached); after, it fails.
  Pkey next = rsa_key();
  write_public_pem(next.get(), dir_ / "rsa1.pem");
  EXPECT_TRUE(v->verify(t, kNow).ok());
  ASSERT_TRUE(v->reload().ok());
  EXPECT_FALSE(v->verify(t, kNow).ok()) << "the cache must not outlive the key";
  EXPECT_TRUE(v->verify(token(next.get(), {{"alg", "RS256"}, {"kid", "rsa1"}}, claims()), kNow).ok());
  // A broken file on reload keeps the current keys.
  std::ofstream(dir_ / "rsa1.pem") << "not a key";
  EXPECT_FALSE(v->reload().ok());
  EXPECT_TRUE(v->verify(token(next.get(), {{"alg", "RS256"}}, claims()), kNow).ok());
}

TEST_F(JwtTest, RefusesWeakOrForeignKeysAndMissingSettings) {
  Pkey small = rsa_key(1024);
  write_public_pem(small.get(), dir_ / "small.pem");
  auto weak = JwtVerifier::create({{dir_ / "small.pem"}, "i", "a"});
  ASSERT_FALSE(weak.ok());
  EXPECT_NE(weak.status().message().find("at least 2048"), std::string::npos);
  Pkey p384 = ec_key("P-384");
  write_public_pem(p384.get(), dir_ / "p384.pem");
  auto curve = JwtVerifier::create({{dir_ / "p384.pem"}, "i", "a"});
  ASSERT_FALSE(curve.ok());
  EXPECT_NE(curve.status().message().find("P-256"), std::string::npos);
  EXPECT_FALSE(JwtVerifier::create({{dir_ / "missing.pem"}, "i", "a"}).ok());
  EXPECT_FALSE(JwtVerifier::create({{dir_ / "rsa1.pem"}, "", "a"}).ok());
  EXPECT_FALSE(JwtVerifier::create({{dir_ / "rsa1.pem"}, "i", ""}).ok());
}

TEST(JwtShape, OnlyThreeDottedPartsLookLikeAJwt) {
  EXPECT_TRUE(JwtVerifier::looks_like_jwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln"));
  EXPECT_FALSE(JwtVerifier::looks_like_jwt("maas_k1a2b3c_secret"));
  EXPECT_FALSE(JwtVerifier::looks_like_jwt("eyJ.a"));
}

TEST(Base64Url, RoundTripsEveryLengthAndRefusesOtherAlphabets) {
  std::string bytes;
  for (int i = 0; i < 70; ++i) {
    auto encoded = base64url_encode(bytes);
    EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos) << encoded;
    auto decoded = base64url_decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(*decoded, bytes);
    bytes += static_cast<char>(i * 37 + 250);
  }
  EXPECT_FALSE(base64url_decode("ab+d").has_value());
  EXPECT_FALSE(base64url_decode("abcde").has_value());
}

}  // namespace
}  // namespace maas::auth
