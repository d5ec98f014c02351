// Cleaning recipes (data.clean jobs): read, then written back.
#include "data/prep/recipe.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto document = maas::fuzz::as_json(data, size);
  if (!document) return 0;
  auto recipe = maas::data::prep::recipe_from_json(*document);
  if (recipe.ok()) (void)maas::data::prep::recipe_to_json(recipe.value()).dump();
  return 0;
}
