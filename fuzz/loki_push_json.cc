// The Loki push body (POST /loki/api/v1/push, JSON): decoded, then checked against the push rules as the route does.
#include "fuzz_input.h"
#include "logs/loki_push.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto batches = maas::logs::decode_loki_push(maas::fuzz::as_text(data, size));
  if (!batches.ok()) return 0;
  maas::logs::PushRules rules;
  rules.now_ns = 1'700'000'000'000'000'000;
  rules.pusher = "fuzz";
  (void)maas::logs::apply_push_rules(batches.value(), rules);
  return 0;
}
