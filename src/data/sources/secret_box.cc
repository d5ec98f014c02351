#include "data/sources/secret_box.h"

#include <fstream>
#include <memory>
#include <sstream>

#include "common/aead.h"
#include "common/base64.h"
#include "common/sha256.h"

namespace maas::data::sources {
namespace {

constexpr std::string_view kPrefix = "v1:";

// 32 key bytes: the hex HMAC of a fixed label, decoded.
std::string derive_key(std::string_view installation_secret) {
  const std::string hex = HmacSha256(installation_secret).hex_digest("maas source credentials v1");
  std::string key;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    key.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return key;
}

}  // namespace

Result<std::string> seal_secret(std::string_view installation_secret, std::string_view plaintext) {
  if (plaintext.empty()) return std::string();
  auto sealed = aes256gcm_seal(derive_key(installation_secret), plaintext);
  if (!sealed.ok()) return internal_error("cannot seal a credential");
  return std::string(kPrefix) + base64url_encode(*sealed);
}

Result<std::string> open_secret(std::string_view installation_secret, std::string_view sealed) {
  if (sealed.empty()) return std::string();
  auto bytes = sealed.starts_with(kPrefix) ? base64url_decode(sealed.substr(kPrefix.size())) : std::nullopt;
  if (!bytes) return internal_error("a stored credential is not in a known form");
  auto plain = aes256gcm_open(derive_key(installation_secret), *bytes);
  if (plain.ok()) return plain;
  if (plain.status().code() == StatusCode::kInvalidArgument) {
    return internal_error("a stored credential is not in a known form");
  }
  return internal_error("a stored credential does not open under this installation's secret (keys.secret changed?)");
}

Result<std::string> read_installation_secret(const std::string& data_dir) {
  std::ifstream in(data_dir + "/keys.secret", std::ios::binary);
  if (!in) return failed_precondition("the installation's secret (keys.secret) is missing from the data dir");
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().empty()) return failed_precondition("the installation's secret (keys.secret) is empty");
  return text.str();
}

}  // namespace maas::data::sources
