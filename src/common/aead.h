// AES-256-GCM (OpenSSL EVP) for secrets sealed at rest: a source's password (data/sources/secret_box.h), a key's
// request-signing secret (auth/secret_box.h). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace maas {

inline constexpr size_t kAeadKeyBytes = 32;

// 12-byte random nonce | ciphertext | 16-byte tag, under `key` (32 bytes); `associated` is authenticated, not
// stored: open() must be given the same.
Result<std::string> aes256gcm_seal(std::string_view key, std::string_view plaintext, std::string_view associated = {});
// The plaintext; INVALID_ARGUMENT when `sealed` is too short, INTERNAL when it does not open (another key or
// associated data, or altered bytes).
Result<std::string> aes256gcm_open(std::string_view key, std::string_view sealed, std::string_view associated = {});

}  // namespace maas
