// Log template discovery (POST /api/v1/rules/discover with log lines): templates mined from the lines and their
// extraction rules built and verified, on one thread.
#include "data/discovery/discover.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  maas::data::discovery::DiscoverOptions options;
  options.threads = 1;
  (void)maas::data::discovery::discover_json(maas::fuzz::as_text(data, size), options);
  return 0;
}
