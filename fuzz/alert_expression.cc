// Alert rule expressions (rule files and /api/v1/alerts/rules): a LogQL metric query or an expression over maas's
// metrics with a comparison.
#include <string>

#include "alerting/expression.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)maas::alerting::parse_rule_expression(std::string(maas::fuzz::as_text(data, size)));
  return 0;
}
