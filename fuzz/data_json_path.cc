// A jsonpath rule's path: the first line of the input is the path, the rest a JSON document it selects from.
#include "data/rules/json_path.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto text = maas::fuzz::as_text(data, size);
  size_t newline = text.find('\n');
  auto path = maas::data::rules::parse_json_path(text.substr(0, newline));
  if (!path.ok() || newline == std::string_view::npos) return 0;
  auto rest = text.substr(newline + 1);
  auto document = maas::fuzz::as_json(reinterpret_cast<const uint8_t*>(rest.data()), rest.size());
  if (document) (void)maas::data::rules::select(path.value(), *document);
  return 0;
}
