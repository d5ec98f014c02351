// API keys and roles. A key is a public id plus a secret: the token `maas_<id>_<secret>` is shown once, at
// creation; only its HMAC-SHA256 under the installation's secret (key_secret.h) is stored (the token carries 256
// random bits, so a fast keyed hash is safe, as for GitHub's and Stripe's tokens). Every key lives in memory too,
// indexed by token hash, so authenticating costs one HMAC and one lookup; revocation and expiry take effect on the
// next request. Keys stored as plain SHA-256 by an older maasd still authenticate (a second hash, only while such
// keys remain) and are rehashed to HMAC on that use.
//
// Thread-safety: every method may be called from any thread (one shared mutex; authorize takes it shared, except
// for the one write that upgrades a legacy hash).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/jwt.h"
#include "auth/request_signing.h"
#include "common/sha256.h"
#include "common/status.h"
#include "http/request.h"
#include "http/router.h"
#include "store/gateway_store.h"

namespace maas::auth {

inline constexpr const char* kRoles[] = {"admin", "deployer", "invoker", "viewer"};

// Whether `role` may call a route of `access` (public routes never ask).
bool role_allows(std::string_view role, http::Access access);

struct NewKey {
  std::string name;
  std::string role;
  std::vector<std::string> services;  // invoker: what it may call (empty: everything)
  double rps = 0;                     // per-key rate limit; 0: none
  double burst = 0;
  double tpm = 0;                     // per-key LLM tokens a minute; 0: none
  int64_t daily_requests = 0;         // quotas; 0: none
  int64_t monthly_requests = 0;
  int64_t monthly_tokens = 0;
  int priority = 0;
  std::optional<int64_t> expires_at_ms;
  std::string created_by;
  bool signing_secret = false;  // give it a request-signing secret too
  std::string cert_subject;     // bind this client certificate subject (RFC 2253 DN) to it
};

struct CreatedKey {
  store::KeyRecord record;
  std::string token;           // the only time it is seen
  std::string signing_secret;  // when asked for; also seen only now
};

// The JSON shape of a key in the API (never the hash).
nlohmann::json key_json(const store::KeyRecord& key);

class KeyService {
 public:
  // `secret`: what tokens are hashed under (open_key_secret).
  KeyService(store::GatewayStore& store, std::string_view secret) : store_(store), hmac_(secret) {}

  // Loads every key into memory. Call once at start.
  Status load();
  // Makes sure an admin can log in: with `env_token` (MAAS_ADMIN_KEY) the key "admin" takes that token; without
  // it and without any usable admin key, a new token is generated, written to `key_file` (mode 0600) and
  // returned so that the caller prints it once.
  Result<std::optional<std::string>> bootstrap_admin(const std::optional<std::string>& env_token,
                                                     const std::filesystem::path& key_file);

  Result<CreatedKey> create(const NewKey& key);
  std::vector<store::KeyRecord> list() const;
  Result<store::KeyRecord> revoke(std::string_view id);
  // Gives the key a new request-signing secret (replacing any other), returned the only time it is seen.
  // FAILED_PRECONDITION without set_request_signing, or for a revoked key.
  Result<std::string> new_signing_secret(std::string_view id);
  // Binds the client certificate subject `subject` (an RFC 2253 DN, compared exactly) to the key; "" unbinds.
  // ALREADY_EXISTS when another key has it.
  Result<store::KeyRecord> bind_cert_subject(std::string_view id, const std::string& subject);

  // Accepts JWTs (auth/jwt.h) as well as keys from now on.
  void set_jwt_verifier(std::shared_ptr<const JwtVerifier> verifier) { jwt_ = std::move(verifier); }
  // Accepts MAAS-HMAC-SHA256 signed requests (auth/request_signing.h) from now on. Call before serving.
  void set_request_signing(std::shared_ptr<RequestSigning> signing) { signing_ = std::move(signing); }

  // The caller behind the request's key (a bearer token, a JWT, a signature or, without any of those, a verified
  // client certificate bound to a key), if it may call a route of `access`.
  Result<std::shared_ptr<const http::Principal>> authorize(const http::Request& req, http::Access access);
  // The key the request presents: "Authorization: Bearer <token>", "api-key" or "x-api-key".
  static std::optional<std::string> presented_token(const http::Request& req);

 private:
  struct Entry {
    store::KeyRecord record;
    std::shared_ptr<const http::Principal> principal;
  };
  void index(const store::KeyRecord& record);  // holds mu_ exclusively
  // The signed request's key, with the body hash its signature covers.
  Result<std::shared_ptr<const http::Principal>> authorize_signed(const http::Request& req, std::string_view header,
                                                                  http::Access access);
  // The key a verified client certificate's subject is bound to.
  Result<std::shared_ptr<const http::Principal>> authorize_certificate(const http::Request& req, http::Access access);
  // UNAUTHENTICATED when `key` is revoked or expired.
  static Status check_live(const store::KeyRecord& key);
  // PERMISSION_DENIED when `key`'s role may not call a route of `access`.
  static Status check_role(const store::KeyRecord& key, http::Access access);
  std::shared_ptr<Entry> find_by_id(std::string_view id) const;                    // takes mu_ shared
  std::shared_ptr<Entry> find(const std::string& hash, const char* scheme) const;  // takes mu_ shared
  // Replaces a key's legacy SHA-256 with its HMAC, in the store and here; a failure is logged, not returned.
  void upgrade_hash(const std::string& id, const std::string& legacy_hash, const std::string& hash);

  store::GatewayStore& store_;
  const HmacSha256 hmac_;
  std::shared_ptr<const JwtVerifier> jwt_;  // set before serving; null: keys only
  std::shared_ptr<RequestSigning> signing_;  // set before serving; null: no signed requests
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Entry>> by_hash_;
  std::unordered_map<std::string, std::shared_ptr<Entry>> by_id_;
  std::unordered_map<std::string, std::shared_ptr<Entry>> by_subject_;  // client certificate subject -> key
  size_t legacy_hashes_ = 0;  // keys still stored as SHA-256
};

}  // namespace maas::auth
