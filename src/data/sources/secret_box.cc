#include "data/sources/secret_box.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "common/base64.h"
#include "common/sha256.h"

namespace maas::data::sources {
namespace {

constexpr std::string_view kPrefix = "v1:";
constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

// 32 key bytes: the hex HMAC of a fixed label, decoded.
std::string derive_key(std::string_view installation_secret) {
  const std::string hex = HmacSha256(installation_secret).hex_digest("maas source credentials v1");
  std::string key;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    key.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return key;
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

}  // namespace

Result<std::string> seal_secret(std::string_view installation_secret, std::string_view plaintext) {
  if (plaintext.empty()) return std::string();
  const std::string key = derive_key(installation_secret);
  unsigned char nonce[kNonceBytes];
  if (RAND_bytes(nonce, kNonceBytes) != 1) return internal_error("no random bytes for a nonce");
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(reinterpret_cast<const char*>(nonce), kNonceBytes);
  out.resize(kNonceBytes + plaintext.size() + kTagBytes);
  auto* cipher = reinterpret_cast<unsigned char*>(out.data() + kNonceBytes);
  int written = 0;
  int final_bytes = 0;
  bool ok = ctx &&
            EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                               reinterpret_cast<const unsigned char*>(key.data()), nonce) == 1 &&
            EVP_EncryptUpdate(ctx.get(), cipher, &written, reinterpret_cast<const unsigned char*>(plaintext.data()),
                              static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx.get(), cipher + written, &final_bytes) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, cipher + plaintext.size()) == 1;
  if (!ok) return internal_error("cannot seal a credential");
  return std::string(kPrefix) + base64url_encode(out);
}

Result<std::string> open_secret(std::string_view installation_secret, std::string_view sealed) {
  if (sealed.empty()) return std::string();
  auto bytes = sealed.starts_with(kPrefix) ? base64url_decode(sealed.substr(kPrefix.size())) : std::nullopt;
  if (!bytes || bytes->size() < static_cast<size_t>(kNonceBytes) + static_cast<size_t>(kTagBytes)) {
    return internal_error("a stored credential is not in a known form");
  }
  const std::string key = derive_key(installation_secret);
  const size_t length = bytes->size() - kNonceBytes - kTagBytes;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes->data());
  std::string plain(length, '\0');
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int written = 0;
  int final_bytes = 0;
  std::string tag = bytes->substr(kNonceBytes + length);
  bool ok = ctx &&
            EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                               reinterpret_cast<const unsigned char*>(key.data()), data) == 1 &&
            EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &written, data + kNonceBytes,
                              static_cast<int>(length)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + written, &final_bytes) == 1;
  if (!ok) {
    return internal_error("a stored credential does not open under this installation's secret (keys.secret changed?)");
  }
  return plain;
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
