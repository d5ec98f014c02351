// The YAML configuration file (maasd --config): read into raw settings, then applied onto the defaults and
// validated as at start.
#include "config/server_config.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  maas::fuzz::MemoryFile file(data, size);
  if (!file.ok()) return 0;
  auto raw = maas::config::read_yaml_settings(file.path());
  if (!raw.ok()) return 0;
  (void)maas::config::build_config({raw.value()});
  return 0;
}
