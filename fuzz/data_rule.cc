// Data center extraction rules (POST /api/v1/rules): a rule read and checked (regex, grok, jsonpath or sql, typed
// columns with casts), then written back.
#include "data/rules/rule.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto document = maas::fuzz::as_json(data, size);
  if (!document) return 0;
  auto rule = maas::data::rules::rule_from_json(*document, maas::data::rules::RuleLimits{});
  if (rule.ok()) (void)maas::data::rules::rule_to_json(rule.value()).dump();
  return 0;
}
