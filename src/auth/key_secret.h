// The per-installation secret API keys are hashed under (HMAC-SHA256): 32 random bytes in a file of the data dir,
// mode 0600, made once. With it, the hashes in metadata.db are worthless without the file: a copy of the database
// alone cannot be used to check guesses, and no stored hash equals the SHA-256 of a key.
//
// Call at start, before serving; not thread-safe.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/gateway_store.h"

namespace maas::auth {

inline constexpr size_t kKeySecretBytes = 32;
// The size of every secret file maasd keeps in its data dir (keys.secret, signing.kek).
inline constexpr size_t kSecretFileBytes = 32;

// The `kSecretFileBytes` random bytes in `path`. When the file is absent it is created — written aside (0600,
// fsynced), then linked into place, so a crash leaves no file or a whole one, and a concurrent start's file wins —
// unless `needed_by()` names what in metadata.db was made under the secret it held (empty: nothing):
// FAILED_PRECONDITION then, naming them (restore the file from a backup). INVALID_ARGUMENT when the file is not
// the right size. `name` ("key secret") is how messages call it.
Result<std::string> open_secret_file(const std::filesystem::path& path, std::string_view name,
                                     const std::function<Result<std::string>()>& needed_by);

// Reads the secret from `path`. When the file is absent it is created — written aside, fsynced, then linked into
// place, so a crash leaves no file or a whole one — unless `store` holds keys hashed under a secret already:
// FAILED_PRECONDITION then, since those keys could never be checked again (restore the file from a backup).
// INVALID_ARGUMENT when the file is not 32 bytes.
Result<std::string> open_key_secret(const std::filesystem::path& path, store::GatewayStore& store);

}  // namespace maas::auth
