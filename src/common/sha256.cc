#include "common/sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cassert>
#include <cstdio>
#include <cstring>
#include <vector>

namespace maas {

struct Sha256::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

namespace {

std::string to_hex(const unsigned char* bytes, unsigned int len) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xf]);
  }
  return out;
}

// Fetched once: EVP_sha256() makes OpenSSL 3 look the implementation up in its provider store on every init,
// which cost more than hashing an API key (done on every request).
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  return md != nullptr ? md : EVP_sha256();
}
}  // namespace

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  assert(impl_->ctx != nullptr);
  EVP_DigestInit_ex(impl_->ctx, sha256_md(), nullptr);
}

Sha256::~Sha256() { EVP_MD_CTX_free(impl_->ctx); }

void Sha256::update(const void* data, size_t size) { EVP_DigestUpdate(impl_->ctx, data, size); }

std::string Sha256::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(impl_->ctx, digest, &len);
  return to_hex(digest, len);
}

struct HmacSha256::Impl {
  EVP_MD_CTX* inner = nullptr;  // after absorbing key ^ ipad
  EVP_MD_CTX* outer = nullptr;  // after absorbing key ^ opad
};

HmacSha256::HmacSha256(std::string_view key) : impl_(std::make_unique<Impl>()) {
  constexpr size_t kBlock = 64;
  unsigned char block[kBlock] = {};
  if (key.size() > kBlock) {
    // A key longer than a block is hashed first (RFC 2104).
    unsigned int len = 0;
    EVP_Digest(key.data(), key.size(), block, &len, sha256_md(), nullptr);
  } else {
    std::memcpy(block, key.data(), key.size());
  }
  unsigned char pad[kBlock];
  impl_->inner = EVP_MD_CTX_new();
  impl_->outer = EVP_MD_CTX_new();
  assert(impl_->inner != nullptr && impl_->outer != nullptr);
  for (size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x36;
  EVP_DigestInit_ex(impl_->inner, sha256_md(), nullptr);
  EVP_DigestUpdate(impl_->inner, pad, kBlock);
  for (size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x5c;
  EVP_DigestInit_ex(impl_->outer, sha256_md(), nullptr);
  EVP_DigestUpdate(impl_->outer, pad, kBlock);
  OPENSSL_cleanse(block, kBlock);
  OPENSSL_cleanse(pad, kBlock);
}

HmacSha256::~HmacSha256() {
  EVP_MD_CTX_free(impl_->inner);
  EVP_MD_CTX_free(impl_->outer);
}

std::string HmacSha256::hex_digest(std::string_view data) const {
  unsigned char inner[EVP_MAX_MD_SIZE];
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int inner_len = 0, len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  assert(ctx != nullptr);
  EVP_MD_CTX_copy_ex(ctx, impl_->inner);
  EVP_DigestUpdate(ctx, data.data(), data.size());
  EVP_DigestFinal_ex(ctx, inner, &inner_len);
  EVP_MD_CTX_copy_ex(ctx, impl_->outer);
  EVP_DigestUpdate(ctx, inner, inner_len);
  EVP_DigestFinal_ex(ctx, digest, &len);
  EVP_MD_CTX_free(ctx);
  return to_hex(digest, len);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &len);
  return std::string(reinterpret_cast<const char*>(digest), len);
}

std::string sha256_hex(std::string_view data) {
  Sha256 hasher;
  hasher.update(data);
  return hasher.hex_digest();
}

std::string hex_encode(std::string_view bytes) {
  return to_hex(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned int>(bytes.size()));
}

std::optional<std::string> hex_decode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>((hi << 4) | lo);
  }
  return out;
}

Result<std::string> sha256_file(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return not_found("cannot open " + path.string());
  Sha256 hasher;
  std::vector<char> buf(1 << 20);
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) hasher.update(buf.data(), n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return internal_error("read error while hashing " + path.string());
  return hasher.hex_digest();
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace maas
