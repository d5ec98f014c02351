#include "auth/request_signing.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "common/random.h"
#include "common/sha256.h"

namespace maas::auth {
namespace {

bool valid_nonce(std::string_view nonce) {
  return nonce.size() >= 16 && nonce.size() <= 128 && std::all_of(nonce.begin(), nonce.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
         });
}

std::string lowercase(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

NonceCache::Outcome NonceCache::remember(const std::string& nonce, int64_t now_s, int64_t expires_at_s) {
  std::lock_guard lock(mu_);
  while (!by_expiry_.empty() && by_expiry_.begin()->first < now_s) {
    seen_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
  if (seen_.count(nonce) != 0) return Outcome::kReplayed;
  if (seen_.size() >= capacity_) return Outcome::kFull;
  seen_.emplace(nonce, expires_at_s);
  by_expiry_.emplace(expires_at_s, nonce);
  return Outcome::kFresh;
}

size_t NonceCache::size() const {
  std::lock_guard lock(mu_);
  return seen_.size();
}

Result<std::pair<std::string, std::string>> RequestSigning::new_secret(std::string_view key_id) const {
  std::string secret = "maassig_" + random_hex(32);
  MAAS_ASSIGN_OR_RETURN(std::string sealed, box_.seal(secret, key_id));
  return std::make_pair(std::move(secret), std::move(sealed));
}

Result<std::string> RequestSigning::verify(const http::Request& req, const SignatureHeader& sig,
                                           const store::KeyRecord& key, int64_t now_s) {
  for (const auto& name : sig.signed_headers) {
    if (!req.header(name)) {
      return unauthenticated("missing_signed_header: '" + name + "' is in SignedHeaders but not in the request");
    }
  }
  std::string date = *req.header(kDateHeader);
  auto at_s = parse_signature_date(date);
  if (!at_s) return unauthenticated("malformed_authorization: x-maas-date is not like 20261207T223000Z (UTC)");
  if (std::llabs(now_s - *at_s) > options_.window_s) {
    return unauthenticated("stale_timestamp: x-maas-date " + date + " is " + std::to_string(now_s - *at_s) +
                           " s from the server's clock; at most " + std::to_string(options_.window_s) +
                           " s are allowed (auth.signature_window_s): sign with the current UTC time");
  }
  if (date.substr(0, 8) != sig.scope_date) {
    return unauthenticated("malformed_authorization: the Credential's date " + sig.scope_date +
                           " is not the date of x-maas-date " + date);
  }
  std::string payload_hash = lowercase(*req.header(kContentHashHeader));
  if (payload_hash.size() != 64 || !hex_decode(payload_hash)) {
    return unauthenticated("malformed_authorization: x-maas-content-sha256 is not the body's SHA-256 in hex");
  }
  std::string nonce = *req.header(kNonceHeader);
  if (!valid_nonce(nonce)) {
    return unauthenticated("malformed_authorization: x-maas-nonce must be 16 to 128 letters, digits, '-' or '_'");
  }
  MAAS_ASSIGN_OR_RETURN(std::string secret, box_.open(key.signing_secret, key.id));
  std::string expected =
      signature_hex(signing_key(secret, sig.scope_date),
                    string_to_sign(date, sig.scope_date, canonical_request(req, sig.signed_headers, payload_hash)));
  if (!constant_time_equal(expected, sig.signature)) {
    return unauthenticated(
        "signature_mismatch: the signature does not match the request as received (a changed "
        "method, path, query or signed header, or a secret other than the key's); see "
        "docs/SECURITY.md for the canonical request");
  }
  switch (nonces_.remember(key.id + "/" + nonce, now_s, *at_s + options_.window_s)) {
    case NonceCache::Outcome::kReplayed:
      return unauthenticated("replayed_nonce: x-maas-nonce " + nonce + " was used by this key within the last " +
                             std::to_string(options_.window_s) + " s: send a fresh nonce with every request");
    case NonceCache::Outcome::kFull:
      return unavailable("nonce_cache_full: " + std::to_string(options_.nonce_cache_size) +
                         " signed requests are within the window (auth.signature_nonce_cache_size); retry shortly");
    case NonceCache::Outcome::kFresh:
      break;
  }
  return payload_hash;
}

}  // namespace maas::auth
