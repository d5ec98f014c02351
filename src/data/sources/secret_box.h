// Credentials sealed at rest: AES-256-GCM under a key derived (HMAC-SHA256) from the installation's secret
// (<data_dir>/keys.secret, auth/key_secret.h), so a copy of metadata.db alone does not reveal a source's password.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace maas::data::sources {

// "v1:" + base64url(nonce | ciphertext | tag). An empty plaintext seals to "".
Result<std::string> seal_secret(std::string_view installation_secret, std::string_view plaintext);
// The plaintext; INTERNAL when the text was not sealed under this secret or was altered.
Result<std::string> open_secret(std::string_view installation_secret, std::string_view sealed);

// The installation's secret as maasd keeps it (<data_dir>/keys.secret); FAILED_PRECONDITION when absent.
Result<std::string> read_installation_secret(const std::string& data_dir);

}  // namespace maas::data::sources
