// Data center extraction rules (POST /api/v1/rules and their test runs): the input's first line is the rule (regex,
// grok, jsonpath or sql, typed columns with casts), read, checked and written back; each further line is extracted
// with it, as a rule's test run extracts sample lines.
#include "data/rules/line_extractor.h"
#include "data/rules/rule.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto text = maas::fuzz::as_text(data, size);
  size_t newline = text.find('\n');
  auto first = text.substr(0, newline);
  auto document = maas::fuzz::as_json(reinterpret_cast<const uint8_t*>(first.data()), first.size());
  if (!document) return 0;
  maas::data::rules::RuleLimits limits;
  auto rule = maas::data::rules::rule_from_json(*document, limits);
  if (!rule.ok()) return 0;
  (void)maas::data::rules::rule_to_json(rule.value()).dump();
  auto extractor = maas::data::rules::LineExtractor::make(rule.value(), limits);
  if (!extractor.ok() || newline == std::string_view::npos) return 0;
  auto rest = text.substr(newline + 1);
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    (void)extractor.value()->extract(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  return 0;
}
