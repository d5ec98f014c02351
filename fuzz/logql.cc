// LogQL (GET /api/v1/logs/query, /loki/api/v1/query_range, alert rules): the whole input is the query text, and
// the same text read as a duration ("5m", "1h30m").
#include "logs/logql.h"

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto text = maas::fuzz::as_text(data, size);
  (void)maas::logs::parse_logql(text);
  (void)maas::logs::parse_duration_ns(text);
  return 0;
}
