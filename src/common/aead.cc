#include "common/aead.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

namespace maas {
namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

}  // namespace

Result<std::string> aes256gcm_seal(std::string_view key, std::string_view plaintext, std::string_view associated) {
  if (key.size() != kAeadKeyBytes) return internal_error("an AES-256-GCM key must be 32 bytes");
  std::string out(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  if (RAND_bytes(bytes(out), kNonceBytes) != 1) return internal_error("no random bytes for a nonce");
  unsigned char* cipher = bytes(out) + kNonceBytes;
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int written = 0, final_bytes = 0, aad_bytes = 0;
  bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(out)) == 1 &&
            (associated.empty() || EVP_EncryptUpdate(ctx.get(), nullptr, &aad_bytes, bytes(associated),
                                                     static_cast<int>(associated.size())) == 1) &&
            EVP_EncryptUpdate(ctx.get(), cipher, &written, bytes(plaintext), static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx.get(), cipher + written, &final_bytes) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, cipher + plaintext.size()) == 1;
  if (!ok) return internal_error("AES-256-GCM sealing failed");
  return out;
}

Result<std::string> aes256gcm_open(std::string_view key, std::string_view sealed, std::string_view associated) {
  if (key.size() != kAeadKeyBytes) return internal_error("an AES-256-GCM key must be 32 bytes");
  if (sealed.size() < static_cast<size_t>(kNonceBytes + kTagBytes)) {
    return invalid_argument("a sealed secret is shorter than its nonce and tag");
  }
  const size_t length = sealed.size() - kNonceBytes - kTagBytes;
  std::string plain(length, '\0');
  std::string tag(sealed.substr(kNonceBytes + length));
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int written = 0, final_bytes = 0, aad_bytes = 0;
  bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(sealed)) == 1 &&
            (associated.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &aad_bytes, bytes(associated),
                                                     static_cast<int>(associated.size())) == 1) &&
            EVP_DecryptUpdate(ctx.get(), bytes(plain), &written, bytes(sealed) + kNonceBytes,
                              static_cast<int>(length)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), bytes(plain) + written, &final_bytes) == 1;
  if (!ok) return internal_error("AES-256-GCM: the sealed bytes do not open under this key");
  return plain;
}

}  // namespace maas
