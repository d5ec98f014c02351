// The Loki push body with Content-Encoding: gzip: inflated within a bound, then decoded as the JSON body is.
#include "fuzz_input.h"
#include "logs/loki_push.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto inflated = maas::logs::gunzip(maas::fuzz::as_text(data, size), size_t{4} << 20);
  if (!inflated.ok()) return 0;
  (void)maas::logs::decode_loki_push(inflated.value());
  return 0;
}
