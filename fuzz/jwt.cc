// JWTs (Authorization: Bearer <jwt> when jwt.key_files is set). An input whose first byte is even is the token as a
// client sends it; one whose first byte is odd has its remaining bytes used as the claims of a token signed here
// with the configured ES256 key, so that the claim checks run as well as the parsing in front of the signature.
#include "auth/jwt.h"

#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "common/base64.h"
#include "fuzz_input.h"

namespace {

EVP_PKEY* g_key = nullptr;
std::unique_ptr<maas::auth::JwtVerifier> g_verifier;

// The JWS form of an ES256 signature over `signed_part`: r || s, 32 bytes each.
std::string sign_es256(std::string_view signed_part) {
  unsigned char der[128];
  size_t der_len = sizeof der;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, g_key);
  EVP_DigestSign(ctx, der, &der_len, reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size());
  EVP_MD_CTX_free(ctx);
  const unsigned char* p = der;
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len));
  unsigned char raw[64];
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
  ECDSA_SIG_free(sig);
  return std::string(reinterpret_cast<const char*>(raw), 64);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_key = EVP_EC_gen("P-256");
  char dir[] = "/tmp/maas-fuzz-jwt-XXXXXX";
  if (g_key == nullptr || mkdtemp(dir) == nullptr) std::abort();
  std::string pem_path = std::string(dir) + "/fuzz.pem";
  FILE* out = std::fopen(pem_path.c_str(), "w");
  if (out == nullptr || PEM_write_PUBKEY(out, g_key) != 1) std::abort();
  std::fclose(out);
  maas::auth::JwtConfig config;
  config.key_files = {pem_path};
  config.issuer = "https://issuer.example";
  config.audience = "maas";
  auto verifier = maas::auth::JwtVerifier::create(config);
  std::remove(pem_path.c_str());
  std::remove(dir);
  if (!verifier.ok()) std::abort();
  g_verifier = std::move(verifier).value();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  auto rest = maas::fuzz::as_text(data + 1, size - 1);
  constexpr int64_t kNow = 1'700'000'000;
  if (data[0] % 2 == 0) {
    (void)maas::auth::JwtVerifier::looks_like_jwt(rest);
    (void)g_verifier->verify(rest, kNow);
    return 0;
  }
  std::string signed_part =
      maas::base64url_encode(R"({"alg":"ES256","kid":"fuzz","typ":"JWT"})") + "." + maas::base64url_encode(rest);
  std::string token = signed_part + "." + maas::base64url_encode(sign_es256(signed_part));
  (void)g_verifier->verify(token, kNow);
  return 0;
}
