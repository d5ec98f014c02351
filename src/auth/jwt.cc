#include "auth/jwt.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "common/base64.h"
#include "common/json_parse.h"

namespace maas::auth {
namespace {

using nlohmann::json;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

constexpr size_t kMaxTokenBytes = 16 << 10;  // a JWT in a header; far above what identity providers issue

Status unauthenticated(std::string message) { return Status(StatusCode::kUnauthenticated, std::move(message)); }

Result<std::string> read_small_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid_argument("auth.jwt_public_keys: cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > (1 << 20)) return invalid_argument("auth.jwt_public_keys: " + path.string() + " is over 1 MiB");
  return text.str();
}

// A PEM public key ("PUBLIC KEY") or the key of a PEM certificate.
Result<Pkey> read_public_key(const std::filesystem::path& path) {
  MAAS_ASSIGN_OR_RETURN(std::string pem, read_small_file(path));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  Pkey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    BIO_reset(bio.get());
    std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
    if (cert) key.reset(X509_get_pubkey(cert.get()));
  }
  if (!key) {
    return invalid_argument("auth.jwt_public_keys: " + path.string() +
                            " holds no PEM public key ('BEGIN PUBLIC KEY') or certificate");
  }
  return key;
}

// ES256's signature is r || s, 32 bytes each (RFC 7518 §3.4); OpenSSL verifies the DER form.
std::optional<std::string> ecdsa_der(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (!sig) return std::nullopt;
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (!r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int n = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (n <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

bool verify_sha256(EVP_PKEY* key, std::string_view signed_part, std::string_view signature) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

bool has_audience(const json& aud, const std::string& audience) {
  if (aud.is_string()) return aud.get<std::string>() == audience;
  if (!aud.is_array()) return false;
  return std::any_of(aud.begin(), aud.end(), [&](const json& a) { return a.is_string() && a.get<std::string>() == audience; });
}

// A NumericDate claim (seconds, possibly fractional) as whole seconds; nullopt when absent, an error when malformed.
Result<std::optional<int64_t>> numeric_date(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::optional<int64_t>();
  if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1e13) {
    return unauthenticated(std::string("the token's '") + name + "' claim is not a date in seconds");
  }
  return std::optional<int64_t>(static_cast<int64_t>(it->get<double>()));
}

}  // namespace

struct JwtVerifier::Key {
  std::string kid;     // the file's stem
  std::string alg;     // "RS256" or "ES256": what this key verifies, whatever a token claims
  Pkey pkey;
};

namespace {

Result<std::vector<std::shared_ptr<const JwtVerifier::Key>>> read_keys(const JwtConfig& config) {
  std::vector<std::shared_ptr<const JwtVerifier::Key>> keys;
  for (const auto& path : config.key_files) {
    MAAS_ASSIGN_OR_RETURN(Pkey pkey, read_public_key(path));
    auto key = std::make_shared<JwtVerifier::Key>();
    key->kid = path.stem().string();
    if (EVP_PKEY_is_a(pkey.get(), "RSA")) {
      if (EVP_PKEY_get_bits(pkey.get()) < 2048) {
        return invalid_argument("auth.jwt_public_keys: " + path.string() + " is an RSA key of " +
                                std::to_string(EVP_PKEY_get_bits(pkey.get())) + " bits; RS256 needs at least 2048");
      }
      key->alg = "RS256";
    } else if (EVP_PKEY_is_a(pkey.get(), "EC")) {
      char group[64] = {0};
      size_t len = 0;
      if (EVP_PKEY_get_group_name(pkey.get(), group, sizeof(group), &len) != 1 ||
          (std::string_view(group) != "prime256v1" && std::string_view(group) != "P-256")) {
        return invalid_argument("auth.jwt_public_keys: " + path.string() + " is an EC key on curve '" +
                                std::string(group) + "'; ES256 needs P-256 (prime256v1)");
      }
      key->alg = "ES256";
    } else {
      return invalid_argument("auth.jwt_public_keys: " + path.string() + " is neither an RSA nor an EC P-256 key");
    }
    key->pkey = std::move(pkey);
    keys.push_back(std::move(key));
  }
  if (keys.empty()) return invalid_argument("auth.jwt_public_keys: no key files given");
  return keys;
}

}  // namespace

JwtVerifier::~JwtVerifier() = default;

Result<std::unique_ptr<JwtVerifier>> JwtVerifier::create(JwtConfig config) {
  if (config.issuer.empty()) return invalid_argument("auth.jwt_issuer is required with auth.jwt_public_keys");
  if (config.audience.empty()) return invalid_argument("auth.jwt_audience is required with auth.jwt_public_keys");
  std::unique_ptr<JwtVerifier> verifier(new JwtVerifier(std::move(config)));
  MAAS_RETURN_IF_ERROR(verifier->reload());
  return verifier;
}

Status JwtVerifier::reload() {
  MAAS_ASSIGN_OR_RETURN(auto keys, read_keys(config_));
  std::lock_guard lock(mu_);
  keys_ = std::move(keys);
  ++generation_;
  cache_.clear();  // a key rotated out takes its tokens with it
  return {};
}

bool JwtVerifier::looks_like_jwt(std::string_view token) {
  return std::count(token.begin(), token.end(), '.') == 2 && token.substr(0, 2) == "ey";
}

Result<std::shared_ptr<const http::Principal>> JwtVerifier::verify(std::string_view token, int64_t now_s) const {
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(std::string(token)); it != cache_.end() && now_s <= it->second.expires_s) {
      return it->second.principal;
    }
  }
  // Every claim is checked again on a miss (nbf too), so the cache never admits what a fresh check would not.
  return check(token, now_s);
}

Result<std::shared_ptr<const http::Principal>> JwtVerifier::check(std::string_view token, int64_t now_s) const {
  if (token.size() > kMaxTokenBytes) return unauthenticated("the token is over 16 KiB");
  size_t dot1 = token.find('.');
  size_t dot2 = token.find('.', dot1 + 1);
  if (dot1 == std::string_view::npos || dot2 == std::string_view::npos) return unauthenticated("the token is not a JWT");
  auto header_bytes = base64url_decode(token.substr(0, dot1));
  auto payload_bytes = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!header_bytes || !payload_bytes || !signature) return unauthenticated("the token is not valid base64url");
  json header = parse_json_or(*header_bytes, json());
  json claims = parse_json_or(*payload_bytes, json());
  if (!header.is_object() || !claims.is_object()) return unauthenticated("the token's header or claims are not JSON objects");

  auto alg_it = header.find("alg");
  std::string alg = alg_it != header.end() && alg_it->is_string() ? alg_it->get<std::string>() : "";
  if (alg != "RS256" && alg != "ES256") {
    return unauthenticated("the token is signed with '" + alg + "'; maas accepts RS256 and ES256 only");
  }
  std::string kid;
  if (auto it = header.find("kid"); it != header.end() && it->is_string()) kid = it->get<std::string>();

  std::vector<std::shared_ptr<const Key>> keys;
  uint64_t generation;
  {
    std::lock_guard lock(mu_);
    keys = keys_;
    generation = generation_;
  }
  std::string_view signed_part = token.substr(0, dot2);
  std::optional<std::string> der;
  if (alg == "ES256") {
    der = ecdsa_der(*signature);
    if (!der) return unauthenticated("the token's ES256 signature is not 64 bytes");
  }
  bool kid_known = !kid.empty() && std::any_of(keys.begin(), keys.end(), [&](const auto& k) { return k->kid == kid; });
  bool verified = false;
  for (const auto& key : keys) {
    // The key decides the algorithm: an RSA key never verifies an ES256 claim, nor the other way round.
    if (key->alg != alg || (kid_known && key->kid != kid)) continue;
    if (verify_sha256(key->pkey.get(), signed_part, der ? *der : *signature)) {
      verified = true;
      break;
    }
  }
  if (!verified) return unauthenticated("the token's signature does not verify with any configured key");

  MAAS_ASSIGN_OR_RETURN(auto exp, numeric_date(claims, "exp"));
  MAAS_ASSIGN_OR_RETURN(auto nbf, numeric_date(claims, "nbf"));
  if (!exp) return unauthenticated("the token has no 'exp' claim; maas accepts only tokens that expire");
  if (now_s > *exp + config_.leeway_s) return unauthenticated("the token expired at " + std::to_string(*exp) + " (Unix time)");
  if (nbf && now_s + config_.leeway_s < *nbf) {
    return unauthenticated("the token is not valid before " + std::to_string(*nbf) + " (Unix time)");
  }
  auto iss = claims.find("iss");
  if (iss == claims.end() || !iss->is_string() || iss->get<std::string>() != config_.issuer) {
    return unauthenticated("the token's issuer ('iss') is not '" + config_.issuer + "'");
  }
  auto aud = claims.find("aud");
  if (aud == claims.end() || !has_audience(*aud, config_.audience)) {
    return unauthenticated("the token's audience ('aud') does not include '" + config_.audience + "'");
  }
  auto sub = claims.find("sub");
  if (sub == claims.end() || !sub->is_string() || sub->get<std::string>().empty() || sub->get<std::string>().size() > 128) {
    return unauthenticated("the token has no subject ('sub', 1 to 128 characters)");
  }
  auto role = claims.find(config_.role_claim);
  std::string role_name = role != claims.end() && role->is_string() ? role->get<std::string>() : "";
  if (role_name != "admin" && role_name != "deployer" && role_name != "invoker" && role_name != "viewer") {
    return Status(StatusCode::kPermissionDenied, "the token's '" + config_.role_claim +
                                                     "' claim must be admin, deployer, invoker or viewer");
  }
  auto principal = std::make_shared<http::Principal>();
  principal->key_id = "jwt:" + sub->get<std::string>();
  principal->name = sub->get<std::string>();
  principal->role = role_name;
  if (auto services = claims.find(config_.services_claim); services != claims.end()) {
    if (!services->is_array() || services->size() > 1000) {
      return Status(StatusCode::kPermissionDenied, "the token's '" + config_.services_claim + "' claim must be a list of names");
    }
    for (const auto& s : *services) {
      if (!s.is_string()) {
        return Status(StatusCode::kPermissionDenied, "the token's '" + config_.services_claim + "' claim must be a list of names");
      }
      principal->services.push_back(s.get<std::string>());
    }
  }

  std::lock_guard lock(mu_);
  if (generation == generation_) {  // not if the keys were reloaded meanwhile
    if (cache_.size() >= kCacheMax) cache_.clear();
    cache_[std::string(token)] = {principal, *exp + config_.leeway_s};
  }
  return std::shared_ptr<const http::Principal>(std::move(principal));
}

}  // namespace maas::auth
