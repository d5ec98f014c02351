// JSON Web Tokens in place of API keys, for teams whose identity provider already issues them: a bearer token
// signed with RS256 (RSA PKCS#1 v1.5, SHA-256) or ES256 (ECDSA P-256, SHA-256) by a key whose public half maas
// reads from PEM files, checked for issuer, audience, expiry and not-before, and mapped to a maas role and the
// services it may call through two claims. Symmetric (HS*) and unsigned ("none") tokens are refused: maas holds no
// shared secrets, and the algorithm is taken from the key, never trusted from the token alone (RFC 8725 §3.1).
//
// Thread-safety: verify() from any thread; reload() swaps the key set under a mutex.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "http/request.h"

namespace maas::auth {

struct JwtConfig {
  std::vector<std::filesystem::path> key_files;  // PEM public keys or certificates; a file's stem is its `kid`
  std::string issuer;                            // required `iss`
  std::string audience;                          // required in `aud` (a string or a list)
  std::string role_claim = "maas_role";          // admin | deployer | invoker | viewer
  std::string services_claim = "maas_services";  // optional list: what an invoker may call
  int64_t leeway_s = 60;                         // clock skew allowed on exp and nbf
};

class JwtVerifier {
 public:
  // Reads the keys; an unreadable file or a key of another kind (not RSA >= 2048 bits nor EC P-256) is an error.
  static Result<std::unique_ptr<JwtVerifier>> create(JwtConfig config);
  ~JwtVerifier();

  // Re-reads the key files (key rotation, on SIGHUP); on error the current keys stay.
  Status reload();
  // Whether a bearer token has a JWT's shape (three base64url parts): maas's own keys never contain a dot.
  static bool looks_like_jwt(std::string_view token);
  // The caller the token names, if its signature and claims hold at `now_s` (Unix seconds). UNAUTHENTICATED
  // with the reason otherwise.
  Result<std::shared_ptr<const http::Principal>> verify(std::string_view token, int64_t now_s) const;

  struct Key;

 private:
  explicit JwtVerifier(JwtConfig config) : config_(std::move(config)) {}
  Result<std::shared_ptr<const http::Principal>> check(std::string_view token, int64_t now_s) const;

  JwtConfig config_;
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<const Key>> keys_;  // guarded by mu_
  uint64_t generation_ = 0;                       // guarded by mu_; bumped by reload()
  // Tokens already verified (by their exact text) and when they expire: a client presents the same token on each
  // request, and a signature check costs tens of microseconds. Bounded; emptied when full.
  struct Verified {
    std::shared_ptr<const http::Principal> principal;
    int64_t expires_s;
  };
  static constexpr size_t kCacheMax = 10'000;
  mutable std::unordered_map<std::string, Verified> cache_;  // guarded by mu_
};

}  // namespace maas::auth
