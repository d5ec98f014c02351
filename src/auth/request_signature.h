// The MAAS-HMAC-SHA256 request signature (docs/SECURITY.md#signed-requests), in the manner of AWS Signature V4:
// what a client signs (the canonical request and the string to sign), the date-scoped signing key, and parsing the
// Authorization header. Pure functions; the checks against keys, clocks and nonces are in request_signing.h.
//
// Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "http/request.h"

namespace maas::auth {

inline constexpr std::string_view kSignatureAlgorithm = "MAAS-HMAC-SHA256";
inline constexpr std::string_view kDateHeader = "x-maas-date";                   // 20261207T223000Z (UTC)
inline constexpr std::string_view kNonceHeader = "x-maas-nonce";                 // 16 to 128 of [A-Za-z0-9_-]
inline constexpr std::string_view kContentHashHeader = "x-maas-content-sha256";  // hex SHA-256 of the body
inline constexpr std::string_view kScopeTerminator = "maas_request";

// "MAAS-HMAC-SHA256 Credential=<key id>/<yyyymmdd>, SignedHeaders=<a;b;c>, Signature=<64 hex>".
struct SignatureHeader {
  std::string key_id;
  std::string scope_date;                   // yyyymmdd
  std::vector<std::string> signed_headers;  // lowercase, sorted, as the client listed them
  std::string signature;                    // lowercase hex
};

// Whether an Authorization header value uses this scheme (and should be parsed by parse_signature_header).
bool is_signature_authorization(std::string_view value);
// UNAUTHENTICATED "malformed_authorization: ..." or "missing_signed_header: ..." (host and the three x-maas-
// headers must be signed).
Result<SignatureHeader> parse_signature_header(std::string_view value);

// The canonical request: method, canonical path, canonical query, canonical headers, signed header list, payload
// hash, one per line (docs/SECURITY.md spells each out).
std::string canonical_request(const http::Request& req, const std::vector<std::string>& signed_headers,
                              std::string_view payload_sha256_hex);
// "MAAS-HMAC-SHA256\n<x-maas-date>\n<yyyymmdd>/maas_request\n<hex SHA-256 of the canonical request>".
std::string string_to_sign(std::string_view date_time, std::string_view scope_date, std::string_view canonical_request);
// HMAC(HMAC(secret, yyyymmdd), "maas_request"): a key valid for one UTC day.
std::string signing_key(std::string_view secret, std::string_view scope_date);
// Lowercase hex of HMAC(signing key, string to sign).
std::string signature_hex(std::string_view signing_key, std::string_view string_to_sign);

// Unix seconds of "20261207T223000Z"; nullopt when malformed.
std::optional<int64_t> parse_signature_date(std::string_view value);

}  // namespace maas::auth
