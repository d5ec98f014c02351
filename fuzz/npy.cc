// The CLI's .npy reader (maas infer --input name=file.npy): the whole input is the file.
#include "cli/npy.h"

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = maas::fuzz::as_text(data, size);
  (void)maas::cli::has_npy_magic(file);
  (void)maas::cli::parse_npy(file);
  return 0;
}
