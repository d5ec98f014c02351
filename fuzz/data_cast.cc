// A rule column's cast: the first byte picks the type, the first line after it is the timestamp format, the rest the
// value cast (as a rule's test run casts each extracted value).
#include "data/rules/cast.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  constexpr const char* kTypes[] = {"string", "int", "float", "bool", "timestamp"};
  auto type = maas::data::rules::cast_type_from_name(kTypes[data[0] % 5]);
  auto text = maas::fuzz::as_text(data + 1, size - 1);
  size_t newline = text.find('\n');
  auto format = newline == std::string_view::npos ? std::string_view() : text.substr(0, newline);
  auto value = newline == std::string_view::npos ? text : text.substr(newline + 1);
  if (!format.empty() && !maas::data::rules::check_timestamp_format(format).ok()) return 0;
  (void)maas::data::rules::cast_value(value, type.value(), format);
  return 0;
}
