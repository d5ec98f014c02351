// Incremental SHA-256 (OpenSSL EVP), used to address artifacts by content, and HMAC-SHA256 under one key, used to
// hash API keys under the installation's secret.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas {

// Not thread-safe; one hasher per stream of bytes.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // Lowercase hex of the digest; the hasher cannot be updated afterwards.
  std::string hex_digest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// HMAC-SHA256 (RFC 2104) under one key. The key's padded blocks are absorbed once, at construction; a digest
// starts from copies of those states, so it costs about as much as one SHA-256 of the data.
// Thread-safe: hex_digest() may be called from any number of threads at once.
class HmacSha256 {
 public:
  explicit HmacSha256(std::string_view key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  // Lowercase hex of HMAC(key, data).
  std::string hex_digest(std::string_view data) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The raw 32-byte HMAC-SHA256 of `data` under `key` (one-shot: for keys used once, as when deriving keys).
std::string hmac_sha256(std::string_view key, std::string_view data);
// Lowercase hex of the SHA-256 of `data`.
std::string sha256_hex(std::string_view data);
// Lowercase hex of `bytes`; and back (either case), nullopt when `hex` is not an even run of hex digits.
std::string hex_encode(std::string_view bytes);
std::optional<std::string> hex_decode(std::string_view hex);
// Whether `a` and `b` hold the same bytes, in a time that does not depend on where they differ (for MACs).
bool constant_time_equal(std::string_view a, std::string_view b);

// Hashes a whole file in fixed-size chunks (bounded memory).
Result<std::string> sha256_file(const std::filesystem::path& path);

}  // namespace maas
