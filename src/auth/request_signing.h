// Checks MAAS-HMAC-SHA256 signed requests (request_signature.h) against a key's signing secret: the timestamp
// window, the signature, and nonces refused on replay within the window; seals new signing secrets.
//
// Thread-safety: every method may be called from any thread (the nonce cache has its own mutex). The nonce cache
// is in this process's memory: in a cluster each node keeps its own.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "auth/request_signature.h"
#include "auth/secret_box.h"
#include "common/status.h"
#include "http/request.h"
#include "store/gateway_store.h"

namespace maas::auth {

// (key id, nonce) pairs seen, each until its request's timestamp leaves the window; at most `capacity`.
class NonceCache {
 public:
  enum class Outcome { kFresh, kReplayed, kFull };
  explicit NonceCache(size_t capacity) : capacity_(capacity) {}
  // Remembers `nonce` until `expires_at_s`, unless it is remembered already (kReplayed) or `capacity` unexpired
  // nonces are (kFull: refusing is safer than forgetting one that could then be replayed).
  Outcome remember(const std::string& nonce, int64_t now_s, int64_t expires_at_s);
  size_t size() const;

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, int64_t> seen_;  // nonce -> expiry
  std::multimap<int64_t, std::string> by_expiry_;
};

struct SigningOptions {
  int64_t window_s = 300;             // auth.signature_window_s: |server clock - x-maas-date| allowed
  size_t nonce_cache_size = 100'000;  // auth.signature_nonce_cache_size
};

class RequestSigning {
 public:
  RequestSigning(SecretBox box, SigningOptions options)
      : box_(std::move(box)), options_(options), nonces_(options.nonce_cache_size) {}

  // A fresh signing secret for `key_id`: {the secret, shown once; the same sealed for the store}.
  Result<std::pair<std::string, std::string>> new_secret(std::string_view key_id) const;
  // Checks the signature `sig` of `req` made with `key`'s signing secret at `now_s`; returns the body's SHA-256 the
  // signature covers (x-maas-content-sha256), which the body received must match. UNAUTHENTICATED messages start
  // with a stable reason: malformed_authorization, missing_signed_header, stale_timestamp, signature_mismatch,
  // replayed_nonce; UNAVAILABLE "nonce_cache_full" when the window holds auth.signature_nonce_cache_size nonces.
  Result<std::string> verify(const http::Request& req, const SignatureHeader& sig, const store::KeyRecord& key,
                             int64_t now_s);

 private:
  const SecretBox box_;
  const SigningOptions options_;
  NonceCache nonces_;
};

}  // namespace maas::auth
