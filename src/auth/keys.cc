#include "auth/keys.h"

#include <mutex>

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "common/files.h"
#include "common/random.h"
#include "common/sha256.h"

namespace maas::auth {
namespace {

constexpr const char* kBootstrapId = "admin";

// How keys stored before schema version 3 were hashed.
std::string legacy_hash(std::string_view token) {
  Sha256 h;
  h.update(token);
  return h.hex_digest();
}

std::string make_token(const std::string& id) { return "maas_" + id + "_" + random_hex(32); }

std::shared_ptr<const http::Principal> principal_of(const store::KeyRecord& key) {
  auto p = std::make_shared<http::Principal>();
  p->key_id = key.id;
  p->name = key.name;
  p->role = key.role;
  const auto& policy = key.policy;
  if (auto it = policy.find("services"); it != policy.end() && it->is_array()) {
    for (const auto& s : *it) p->services.push_back(s.get<std::string>());
  }
  if (auto it = policy.find("rate_limit"); it != policy.end() && it->is_object()) {
    p->rate_limit_rps = it->value("rps", 0.0);
    p->rate_limit_burst = it->value("burst", 0.0);
    p->rate_limit_tpm = it->value("tpm", 0.0);
  }
  if (auto it = policy.find("quota"); it != policy.end() && it->is_object()) {
    p->daily_requests = it->value("daily_requests", int64_t{0});
    p->monthly_requests = it->value("monthly_requests", int64_t{0});
    p->monthly_tokens = it->value("monthly_tokens", int64_t{0});
  }
  p->priority = policy.value("priority", 0);
  return p;
}

bool usable(const store::KeyRecord& key, int64_t now_ms) {
  return !key.revoked_at_ms && !(key.expires_at_ms && *key.expires_at_ms <= now_ms);
}

}  // namespace

bool role_allows(std::string_view role, http::Access access) {
  using http::Access;
  if (access == Access::kSelf) return role == "admin" || role == "deployer" || role == "invoker" || role == "viewer";
  if (role == "admin") return true;
  if (role == "deployer") return access == Access::kRead || access == Access::kInvoke || access == Access::kDeploy;
  if (role == "invoker") return access == Access::kInvoke;
  if (role == "viewer") return access == Access::kRead;
  return false;
}

nlohmann::json key_json(const store::KeyRecord& key) {
  nlohmann::json j = {
      {"id", key.id},
      {"name", key.name},
      {"role", key.role},
      {"created_by", key.created_by},
      {"created_at", format_rfc3339_ms(key.created_at_ms)},
      {"expires_at", key.expires_at_ms ? nlohmann::json(format_rfc3339_ms(*key.expires_at_ms)) : nullptr},
      {"revoked_at", key.revoked_at_ms ? nlohmann::json(format_rfc3339_ms(*key.revoked_at_ms)) : nullptr},
      {"active", usable(key, now_unix_ms())},
      {"signing", !key.signing_secret.empty()},
      {"certificate_subject", key.cert_subject.empty() ? nlohmann::json() : nlohmann::json(key.cert_subject)}};
  for (const char* field : {"services", "rate_limit", "quota", "priority"}) {
    if (auto it = key.policy.find(field); it != key.policy.end()) j[field] = *it;
  }
  return j;
}

void KeyService::index(const store::KeyRecord& record) {
  if (auto old = by_id_.find(record.id); old != by_id_.end()) {
    by_hash_.erase(old->second->record.token_hash);
    if (old->second->record.hash_scheme != store::kHashHmacSha256) --legacy_hashes_;
    if (!old->second->record.cert_subject.empty()) by_subject_.erase(old->second->record.cert_subject);
  }
  auto entry = std::make_shared<Entry>(Entry{record, principal_of(record)});
  by_hash_[record.token_hash] = entry;
  by_id_[record.id] = entry;
  if (!record.cert_subject.empty()) by_subject_[record.cert_subject] = entry;
  if (record.hash_scheme != store::kHashHmacSha256) ++legacy_hashes_;
}

std::shared_ptr<KeyService::Entry> KeyService::find_by_id(std::string_view id) const {
  std::shared_lock lock(mu_);
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : it->second;
}

std::shared_ptr<KeyService::Entry> KeyService::find(const std::string& hash, const char* scheme) const {
  std::shared_lock lock(mu_);
  auto it = by_hash_.find(hash);
  if (it == by_hash_.end() || it->second->record.hash_scheme != scheme) return nullptr;
  return it->second;
}

void KeyService::upgrade_hash(const std::string& id, const std::string& legacy, const std::string& hash) {
  std::unique_lock lock(mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end() || it->second->record.token_hash != legacy) return;  // another request did it meanwhile
  if (auto s = store_.set_key_token_hash(id, hash, store::kHashHmacSha256); !s.ok()) {
    spdlog::warn("cannot rehash the API key {} (it keeps its SHA-256 until its next use): {}", id, s.message());
    return;
  }
  store::KeyRecord upgraded = it->second->record;
  upgraded.token_hash = hash;
  upgraded.hash_scheme = store::kHashHmacSha256;
  index(upgraded);
  spdlog::info("API key {}: its stored SHA-256 was replaced by an HMAC under the installation's secret", id);
}

Status KeyService::load() {
  MAAS_ASSIGN_OR_RETURN(auto keys, store_.list_keys());
  std::unique_lock lock(mu_);
  for (const auto& k : keys) index(k);
  return {};
}

Result<std::optional<std::string>> KeyService::bootstrap_admin(const std::optional<std::string>& env_token,
                                                               const std::filesystem::path& key_file) {
  int64_t now = now_unix_ms();
  std::unique_lock lock(mu_);
  auto existing = by_id_.find(kBootstrapId);
  if (env_token) {
    if (env_token->size() < 16) {
      return invalid_argument("MAAS_ADMIN_KEY must be at least 16 characters");
    }
    std::string hash = hmac_.hex_digest(*env_token);
    if (existing != by_id_.end()) {
      const auto& record = existing->second->record;
      if (record.token_hash != hash || record.hash_scheme != store::kHashHmacSha256) {
        MAAS_RETURN_IF_ERROR(store_.set_key_token_hash(kBootstrapId, hash, store::kHashHmacSha256));
        store::KeyRecord updated = record;
        updated.token_hash = hash;
        updated.hash_scheme = store::kHashHmacSha256;
        index(updated);
      }
      return std::optional<std::string>();
    }
    store::KeyRecord key{kBootstrapId, "bootstrap admin (MAAS_ADMIN_KEY)", "admin", hash, nlohmann::json::object(),
                         "maasd", now, std::nullopt, std::nullopt, store::kHashHmacSha256};
    MAAS_RETURN_IF_ERROR(store_.create_key(key));
    index(key);
    return std::optional<std::string>();
  }
  for (const auto& [id, entry] : by_id_) {
    if (entry->record.role == "admin" && usable(entry->record, now)) return std::optional<std::string>();
  }
  // No admin can log in: make one. Its id is "admin" unless a revoked bootstrap key holds that id.
  std::string id = existing == by_id_.end() ? kBootstrapId : "k" + random_hex(6);
  std::string token = make_token(id);
  store::KeyRecord key{id, "first admin (generated at start)", "admin", hmac_.hex_digest(token),
                       nlohmann::json::object(), "maasd", now, std::nullopt, std::nullopt, store::kHashHmacSha256};
  MAAS_RETURN_IF_ERROR(write_file_atomic(key_file, token + "\n", 0600));
  MAAS_RETURN_IF_ERROR(store_.create_key(key));
  index(key);
  return std::optional<std::string>(token);
}

Result<CreatedKey> KeyService::create(const NewKey& spec) {
  store::KeyRecord key;
  key.id = "k" + random_hex(6);
  std::string token = make_token(key.id);
  key.name = spec.name;
  key.role = spec.role;
  key.token_hash = hmac_.hex_digest(token);
  key.hash_scheme = store::kHashHmacSha256;
  if (!spec.services.empty()) key.policy["services"] = spec.services;
  if (spec.rps > 0) key.policy["rate_limit"] = {{"rps", spec.rps}, {"burst", spec.burst}};
  if (spec.tpm > 0) key.policy["rate_limit"]["tpm"] = spec.tpm;
  nlohmann::json quota = nlohmann::json::object();
  if (spec.daily_requests > 0) quota["daily_requests"] = spec.daily_requests;
  if (spec.monthly_requests > 0) quota["monthly_requests"] = spec.monthly_requests;
  if (spec.monthly_tokens > 0) quota["monthly_tokens"] = spec.monthly_tokens;
  if (!quota.empty()) key.policy["quota"] = quota;
  if (spec.priority != 0) key.policy["priority"] = spec.priority;
  key.created_by = spec.created_by;
  key.created_at_ms = now_unix_ms();
  key.expires_at_ms = spec.expires_at_ms;
  key.cert_subject = spec.cert_subject;
  std::string signing_secret;
  if (spec.signing_secret) {
    if (!signing_) return failed_precondition("signed requests are not enabled on this server");
    MAAS_ASSIGN_OR_RETURN(auto secret, signing_->new_secret(key.id));
    signing_secret = std::move(secret.first);
    key.signing_secret = std::move(secret.second);
  }
  std::unique_lock lock(mu_);
  if (!key.cert_subject.empty() && by_subject_.count(key.cert_subject) != 0) {
    return already_exists("the certificate subject '" + key.cert_subject + "' is bound to the key " +
                          by_subject_.at(key.cert_subject)->record.id + " already");
  }
  MAAS_RETURN_IF_ERROR(store_.create_key(key));
  index(key);
  return CreatedKey{key, token, signing_secret};
}

Result<std::string> KeyService::new_signing_secret(std::string_view id) {
  if (!signing_) return failed_precondition("signed requests are not enabled on this server");
  MAAS_ASSIGN_OR_RETURN(auto secret, signing_->new_secret(id));
  std::unique_lock lock(mu_);
  auto it = by_id_.find(std::string(id));
  if (it == by_id_.end()) return not_found("key '" + std::string(id) + "' does not exist");
  if (it->second->record.revoked_at_ms) return failed_precondition("the key " + std::string(id) + " is revoked");
  MAAS_RETURN_IF_ERROR(store_.set_key_signing_secret(id, secret.second));
  store::KeyRecord updated = it->second->record;
  updated.signing_secret = secret.second;
  index(updated);
  return secret.first;
}

Result<store::KeyRecord> KeyService::bind_cert_subject(std::string_view id, const std::string& subject) {
  std::unique_lock lock(mu_);
  auto it = by_id_.find(std::string(id));
  if (it == by_id_.end()) return not_found("key '" + std::string(id) + "' does not exist");
  if (auto other = by_subject_.find(subject);
      !subject.empty() && other != by_subject_.end() && other->second->record.id != id) {
    return already_exists("the certificate subject '" + subject + "' is bound to the key " + other->second->record.id +
                          " already");
  }
  MAAS_RETURN_IF_ERROR(store_.set_key_cert_subject(id, subject));
  store::KeyRecord updated = it->second->record;
  updated.cert_subject = subject;
  index(updated);
  return updated;
}

std::vector<store::KeyRecord> KeyService::list() const {
  std::shared_lock lock(mu_);
  std::vector<store::KeyRecord> out;
  out.reserve(by_id_.size());
  for (const auto& [id, entry] : by_id_) out.push_back(entry->record);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return std::tie(a.created_at_ms, a.id) < std::tie(b.created_at_ms, b.id); });
  return out;
}

Result<store::KeyRecord> KeyService::revoke(std::string_view id) {
  std::unique_lock lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto record, store_.revoke_key(id, now_unix_ms()));
  index(record);
  return record;
}

std::optional<std::string> KeyService::presented_token(const http::Request& req) {
  if (auto auth = req.header("authorization")) {
    constexpr std::string_view kBearer = "bearer ";
    if (auth->size() > kBearer.size()) {
      std::string scheme = auth->substr(0, kBearer.size());
      for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (scheme == kBearer) return auth->substr(kBearer.size());
    }
  }
  if (auto key = req.header("x-api-key")) return key;
  if (auto key = req.header("api-key")) return key;
  return std::nullopt;
}

Status KeyService::check_live(const store::KeyRecord& key) {
  if (key.revoked_at_ms) {
    return Status(StatusCode::kUnauthenticated, "the API key " + key.id + " was revoked");
  }
  if (key.expires_at_ms && *key.expires_at_ms <= now_unix_ms()) {
    return Status(StatusCode::kUnauthenticated,
                  "the API key " + key.id + " expired at " + format_rfc3339_ms(*key.expires_at_ms));
  }
  return {};
}

Status KeyService::check_role(const store::KeyRecord& key, http::Access access) {
  if (!role_allows(key.role, access)) {
    return Status(StatusCode::kPermissionDenied, "the key " + key.id + " has role '" + key.role +
                                                     "', which may not call this endpoint (it needs " +
                                                     std::string(http::access_name(access)) + " access)");
  }
  return {};
}

Result<std::shared_ptr<const http::Principal>> KeyService::authorize_signed(const http::Request& req,
                                                                            std::string_view header,
                                                                            http::Access access) {
  if (!signing_) return unauthenticated("malformed_authorization: signed requests are not enabled on this server");
  MAAS_ASSIGN_OR_RETURN(auto sig, parse_signature_header(header));
  auto entry = find_by_id(sig.key_id);
  if (!entry || entry->record.signing_secret.empty()) {
    return unauthenticated("unknown_key: no key '" + sig.key_id.substr(0, 64) +
                           "' with a signing secret (POST /api/v1/keys/{id}/signing-secret gives a key one)");
  }
  MAAS_RETURN_IF_ERROR(check_live(entry->record));
  MAAS_ASSIGN_OR_RETURN(std::string body_sha256, signing_->verify(req, sig, entry->record, now_unix_ms() / 1000));
  MAAS_RETURN_IF_ERROR(check_role(entry->record, access));
  auto principal = std::make_shared<http::Principal>(*entry->principal);
  principal->body_sha256 = std::move(body_sha256);
  return std::shared_ptr<const http::Principal>(std::move(principal));
}

Result<std::shared_ptr<const http::Principal>> KeyService::authorize_certificate(const http::Request& req,
                                                                                 http::Access access) {
  std::shared_ptr<Entry> entry;
  {
    std::shared_lock lock(mu_);
    if (auto it = by_subject_.find(req.client_cert_subject); it != by_subject_.end()) entry = it->second;
  }
  if (!entry) {
    return unauthenticated("the client certificate '" + req.client_cert_subject.substr(0, 256) +
                           "' is not bound to a key (PUT /api/v1/keys/{id}/certificate binds one), and no API key "
                           "was sent");
  }
  MAAS_RETURN_IF_ERROR(check_live(entry->record));
  MAAS_RETURN_IF_ERROR(check_role(entry->record, access));
  return entry->principal;
}

Result<std::shared_ptr<const http::Principal>> KeyService::authorize(const http::Request& req,
                                                                     http::Access access) {
  if (auto auth = req.header("authorization"); auth && is_signature_authorization(*auth)) {
    return authorize_signed(req, *auth, access);
  }
  auto token = presented_token(req);
  if ((!token || token->empty()) && !req.client_cert_subject.empty()) return authorize_certificate(req, access);
  if (!token || token->empty()) {
    return Status(StatusCode::kUnauthenticated,
                  "this endpoint needs an API key: send 'Authorization: Bearer <key>' (or an 'x-api-key' header), "
                  "a signed request or a client certificate bound to a key");
  }
  if (jwt_ && JwtVerifier::looks_like_jwt(*token)) {
    auto now_s = now_unix_ms() / 1000;
    MAAS_ASSIGN_OR_RETURN(auto principal, jwt_->verify(*token, now_s));
    if (!role_allows(principal->role, access)) {
      return Status(StatusCode::kPermissionDenied, "the token of '" + principal->name + "' has role '" +
                                                       principal->role + "', which may not call this endpoint (it needs " +
                                                       std::string(http::access_name(access)) + " access)");
    }
    return principal;
  }
  std::string hash = hmac_.hex_digest(*token);
  auto entry = find(hash, store::kHashHmacSha256);
  // A key an older maasd stored as plain SHA-256: looked up that way only while such keys remain.
  std::string legacy;
  if (!entry) {
    bool any_legacy = false;
    {
      std::shared_lock lock(mu_);
      any_legacy = legacy_hashes_ > 0;
    }
    if (any_legacy) {
      legacy = legacy_hash(*token);
      entry = find(legacy, store::kHashSha256);
    }
  }
  if (!entry) return Status(StatusCode::kUnauthenticated, "the API key is not valid");
  const auto& key = entry->record;
  MAAS_RETURN_IF_ERROR(check_live(key));
  // The token is valid: its stored hash becomes the HMAC now (once; a write to the store).
  if (key.hash_scheme != store::kHashHmacSha256) upgrade_hash(key.id, legacy, hash);
  MAAS_RETURN_IF_ERROR(check_role(key, access));
  return entry->principal;
}

}  // namespace maas::auth
