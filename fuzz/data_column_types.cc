// CSV and JSON-lines sniffing (POST /api/v1/rules/discover with a table sample): column types suggested from a
// sample, then written as the route answers.
#include "data/discovery/column_types.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto table = maas::data::discovery::suggest_column_types(maas::fuzz::as_text(data, size));
  if (table.ok()) (void)maas::data::discovery::table_suggestion_to_json(table.value()).dump();
  return 0;
}
