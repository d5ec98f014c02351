#include "common/random.h"

#include <openssl/rand.h>

#include <cassert>
#include <vector>

namespace maas {

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  int rc = RAND_bytes(buf.data(), static_cast<int>(buf.size()));
  assert(rc == 1 && "the OpenSSL random generator failed");
  (void)rc;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char b : buf) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

}  // namespace maas
