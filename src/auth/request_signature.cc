#include "auth/request_signature.h"

#include <algorithm>
#include <cctype>

#include "common/clock.h"
#include "common/sha256.h"

namespace maas::auth {
namespace {

Status malformed(const std::string& why) {
  return unauthenticated("malformed_authorization: " + why +
                         " (expected 'MAAS-HMAC-SHA256 Credential=<key id>/<yyyymmdd>, SignedHeaders=<a;b>, "
                         "Signature=<hex>'; see docs/SECURITY.md)");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// RFC 3986 percent-encoding of everything but the unreserved characters (and '/', in a path).
std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    }
  }
  return out;
}

// A header's value as signed: trimmed, runs of spaces and tabs as one space; repeated headers joined by ','.
std::string canonical_header_value(const http::Request& req, std::string_view name) {
  std::string joined;
  bool any = false;
  for (const auto& [n, v] : req.headers) {
    if (n != name) continue;
    if (any) joined.push_back(',');
    any = true;
    bool space = false;
    for (char c : trim(v)) {
      if (c == ' ' || c == '\t') {
        space = true;
        continue;
      }
      if (space) joined.push_back(' ');
      space = false;
      joined.push_back(c);
    }
  }
  return joined;
}

}  // namespace

bool is_signature_authorization(std::string_view value) {
  value = trim(value);
  return value.size() > kSignatureAlgorithm.size() &&
         value.substr(0, kSignatureAlgorithm.size()) == kSignatureAlgorithm && value[kSignatureAlgorithm.size()] == ' ';
}

Result<SignatureHeader> parse_signature_header(std::string_view value) {
  value = trim(value);
  if (!is_signature_authorization(value)) return malformed("not a MAAS-HMAC-SHA256 authorization");
  value.remove_prefix(kSignatureAlgorithm.size() + 1);
  SignatureHeader out;
  std::optional<std::string_view> credential, signed_headers, signature;
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view part = trim(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) return malformed("'" + std::string(part.substr(0, 64)) + "' is not name=value");
    std::string_view name = part.substr(0, eq), v = part.substr(eq + 1);
    std::optional<std::string_view>* slot = name == "Credential"      ? &credential
                                            : name == "SignedHeaders" ? &signed_headers
                                            : name == "Signature"     ? &signature
                                                                      : nullptr;
    if (slot == nullptr) return malformed("unknown field '" + std::string(name.substr(0, 64)) + "'");
    if (*slot) return malformed("'" + std::string(name) + "' given twice");
    *slot = v;
  }
  if (!credential || !signed_headers || !signature)
    return malformed("Credential, SignedHeaders and Signature are all needed");
  size_t slash = credential->find('/');
  if (slash == std::string_view::npos || slash == 0 || slash > 64)
    return malformed("Credential is not <key id>/<yyyymmdd>");
  out.key_id = credential->substr(0, slash);
  out.scope_date = credential->substr(slash + 1);
  if (out.scope_date.size() != 8 || !is_digits(out.scope_date)) return malformed("Credential's date is not yyyymmdd");
  if (signature->size() != 64 || !hex_decode(*signature)) return malformed("Signature is not 64 hex digits");
  out.signature = *signature;
  std::transform(out.signature.begin(), out.signature.end(), out.signature.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  std::string_view list = *signed_headers;
  while (!list.empty()) {
    size_t semi = list.find(';');
    std::string name(list.substr(0, semi));
    list = semi == std::string_view::npos ? std::string_view() : list.substr(semi + 1);
    if (name.empty() || out.signed_headers.size() >= 64) return malformed("SignedHeaders is not a;b;c");
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.signed_headers.push_back(std::move(name));
  }
  std::sort(out.signed_headers.begin(), out.signed_headers.end());
  out.signed_headers.erase(std::unique(out.signed_headers.begin(), out.signed_headers.end()), out.signed_headers.end());
  for (std::string_view required : {std::string_view("host"), kDateHeader, kNonceHeader, kContentHashHeader}) {
    if (!std::binary_search(out.signed_headers.begin(), out.signed_headers.end(), required)) {
      return unauthenticated("missing_signed_header: '" + std::string(required) +
                             "' must be among SignedHeaders (host, x-maas-date, x-maas-nonce and "
                             "x-maas-content-sha256 always are)");
    }
  }
  return out;
}

std::string canonical_request(const http::Request& req, const std::vector<std::string>& signed_headers,
                              std::string_view payload_sha256_hex) {
  std::string out = req.method + "\n" + uri_encode(req.path.empty() ? "/" : req.path, true) + "\n";
  std::vector<std::pair<std::string, std::string>> query;
  query.reserve(req.query.size());
  for (const auto& [name, value] : req.query) query.emplace_back(uri_encode(name, false), uri_encode(value, false));
  std::sort(query.begin(), query.end());
  for (size_t i = 0; i < query.size(); ++i) out += (i ? "&" : "") + query[i].first + "=" + query[i].second;
  out += "\n";
  std::vector<std::string> names = signed_headers;
  std::sort(names.begin(), names.end());
  std::string list;
  for (const auto& name : names) {
    out += name + ":" + canonical_header_value(req, name) + "\n";
    list += (list.empty() ? "" : ";") + name;
  }
  out += "\n" + list + "\n";
  out += payload_sha256_hex;
  return out;
}

std::string string_to_sign(std::string_view date_time, std::string_view scope_date,
                           std::string_view canonical_request) {
  return std::string(kSignatureAlgorithm) + "\n" + std::string(date_time) + "\n" + std::string(scope_date) + "/" +
         std::string(kScopeTerminator) + "\n" + sha256_hex(canonical_request);
}

std::string signing_key(std::string_view secret, std::string_view scope_date) {
  return hmac_sha256(hmac_sha256(secret, scope_date), kScopeTerminator);
}

std::string signature_hex(std::string_view signing_key, std::string_view string_to_sign) {
  return hex_encode(hmac_sha256(signing_key, string_to_sign));
}

std::optional<int64_t> parse_signature_date(std::string_view v) {
  if (v.size() != 16 || v[8] != 'T' || v[15] != 'Z' || !is_digits(v.substr(0, 8)) || !is_digits(v.substr(9, 6))) {
    return std::nullopt;
  }
  std::string rfc3339 = std::string(v.substr(0, 4)) + "-" + std::string(v.substr(4, 2)) + "-" +
                        std::string(v.substr(6, 2)) + "T" + std::string(v.substr(9, 2)) + ":" +
                        std::string(v.substr(11, 2)) + ":" + std::string(v.substr(13, 2)) + "Z";
  auto ms = parse_rfc3339_ms(rfc3339);
  if (!ms) return std::nullopt;
  return *ms / 1000;
}

}  // namespace maas::auth
