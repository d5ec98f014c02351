#include "auth/secret_box.h"

#include "auth/key_secret.h"
#include "common/aead.h"
#include "common/files.h"
#include "common/sha256.h"

namespace maas::auth {
namespace {

constexpr std::string_view kVersion = "v1.";
static_assert(kKekBytes == kSecretFileBytes, "signing.kek is one of the data dir's secret files");

}  // namespace

Result<std::string> SecretBox::seal(std::string_view plaintext, std::string_view context) const {
  MAAS_ASSIGN_OR_RETURN(std::string sealed, aes256gcm_seal(kek_, plaintext, context));
  return std::string(kVersion) + hex_encode(sealed);
}

Result<std::string> SecretBox::open(std::string_view sealed, std::string_view context) const {
  if (sealed.substr(0, kVersion.size()) == kVersion) {
    if (auto raw = hex_decode(sealed.substr(kVersion.size()))) {
      if (auto plain = aes256gcm_open(kek_, *raw, context); plain.ok()) return plain;
    }
  }
  return internal_error(
      "a sealed signing secret does not open under this key-encryption key (signing.kek or "
      "MAAS_SIGNING_KEK changed?)");
}

Result<std::string> open_signing_kek(const std::optional<std::string>& env_hex, const std::filesystem::path& path,
                                     store::GatewayStore& store) {
  if (env_hex) {
    auto kek = hex_decode(*env_hex);
    if (!kek || kek->size() != kKekBytes) {
      return invalid_argument("MAAS_SIGNING_KEK must be 64 hex digits (32 bytes), e.g. from `openssl rand -hex 32`");
    }
    return *kek;
  }
  return open_secret_file(path, "key-encryption key", [&store]() -> Result<std::string> {
    MAAS_ASSIGN_OR_RETURN(auto keys, store.list_keys());
    size_t sealed = 0;
    for (const auto& k : keys) sealed += k.signing_secret.empty() ? 0 : 1;
    if (sealed == 0) return std::string();
    return std::to_string(sealed) +
           " API key(s) in metadata.db have signing secrets sealed under the key it held: restore it from the "
           "backup of the data dir, or set MAAS_SIGNING_KEK";
  });
}

}  // namespace maas::auth
