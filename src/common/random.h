// Cryptographically strong random identifiers (OpenSSL RAND_bytes).
#pragma once

#include <cstddef>
#include <string>

namespace maas {

// `bytes` random bytes as lowercase hex (2 * bytes characters).
std::string random_hex(size_t bytes);

}  // namespace maas
