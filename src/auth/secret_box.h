// Seals request-signing secrets at rest with AES-256-GCM under a key-encryption key (KEK). An HMAC signature can
// only be checked with the secret itself, so unlike API keys (stored as an HMAC of the token) the secret cannot be
// stored hashed; sealed, a copy of metadata.db alone does not reveal it. The KEK is 32 bytes: MAAS_SIGNING_KEK (64
// hex digits) or `<data_dir>/signing.kek` (0600, created once atomically).
//
// Thread-safety: a SecretBox is immutable; seal() and open() may be called from any thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/gateway_store.h"

namespace maas::auth {

inline constexpr size_t kKekBytes = 32;

class SecretBox {
 public:
  // `kek`: 32 bytes.
  explicit SecretBox(std::string kek) : kek_(std::move(kek)) {}

  // "v1." + hex(12-byte random nonce | ciphertext | 16-byte tag); `context` (the key id) is authenticated with it,
  // so a sealed secret copied onto another key's row does not open there.
  Result<std::string> seal(std::string_view plaintext, std::string_view context) const;
  // INTERNAL when `sealed` was not sealed under this KEK for `context` (or was altered).
  Result<std::string> open(std::string_view sealed, std::string_view context) const;

 private:
  std::string kek_;
};

// The KEK: from `env_hex` (MAAS_SIGNING_KEK) when set, else from `path`, created when absent unless `store` holds
// sealed secrets already (FAILED_PRECONDITION then: they could never be opened again). INVALID_ARGUMENT for a
// malformed value or file.
Result<std::string> open_signing_kek(const std::optional<std::string>& env_hex, const std::filesystem::path& path,
                                     store::GatewayStore& store);

}  // namespace maas::auth
