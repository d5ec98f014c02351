// Grok patterns (a grok rule's pattern): compiled against the built-in library and one custom pattern taken from
// the input's first line ("NAME regex"); the rest is the pattern.
#include <map>
#include <string>

#include "data/rules/grok.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto text = maas::fuzz::as_text(data, size);
  std::map<std::string, std::string> custom;
  size_t newline = text.find('\n');
  if (newline != std::string_view::npos) {
    auto line = text.substr(0, newline);
    size_t space = line.find(' ');
    if (space != std::string_view::npos) custom.emplace(line.substr(0, space), line.substr(space + 1));
    text = text.substr(newline + 1);
  }
  (void)maas::data::rules::compile_grok(text, custom, 64 * 1024);
  return 0;
}
