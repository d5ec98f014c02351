#include "llm/llm_metrics.h"

namespace maas::llm {

LlmMetrics::LlmMetrics(metrics::Registry& r)
    : prompt_tokens(r.counter("maas_llm_prompt_tokens_total", "Prompt tokens read", {"model", "version"})),
      generated_tokens(r.counter("maas_llm_generated_tokens_total", "Tokens generated", {"model", "version"})),
      cached_prompt_tokens(r.counter("maas_llm_cached_prompt_tokens_total",
                                     "Prompt tokens reused from the KV cache of an earlier request (prefix caching)",
                                     {"model", "version"})),
      time_to_first_token(r.histogram("maas_llm_time_to_first_token_seconds",
                                      "From the request reaching the runner to its first generated token",
                                      {"model", "version"}, metrics::latency_buckets())),
      inter_token_latency(r.histogram("maas_llm_inter_token_latency_seconds", "Between consecutive tokens of a stream",
                                      {"model", "version"}, metrics::latency_buckets())),
      running(r.gauge("maas_llm_requests_running", "Sequences being decoded", {"model", "version"})),
      waiting(r.gauge("maas_llm_requests_waiting", "Requests waiting for a sequence slot", {"model", "version"})),
      kv_usage(r.gauge("maas_llm_kv_cache_usage_ratio", "Share of KV cache cells held by running sequences",
                       {"model", "version"})),
      streams_open(r.gauge("maas_llm_streams_open", "Generation streams open in maasd", {"model", "version"})),
      requests(r.counter("maas_llm_requests_total", "Generations ended, by how: stop, length, cancelled, error",
                         {"model", "version", "result"})),
      worker_restarts(r.counter("maas_llm_worker_restarts_total", "LLM worker processes restarted after a crash",
                                {"model", "version"})),
      preemptions(r.counter("maas_llm_preemptions_total",
                            "Sequences preempted (cells freed, recomputed later) because the shared KV cache was full",
                            {"model", "version"})) {}

LlmMetrics::Series LlmMetrics::series(const std::string& model, const std::string& version) {
  return Series{&prompt_tokens.with({model, version}),
                &generated_tokens.with({model, version}),
                &cached_prompt_tokens.with({model, version}),
                &time_to_first_token.with({model, version}),
                &inter_token_latency.with({model, version}),
                &running.with({model, version}),
                &waiting.with({model, version}),
                &kv_usage.with({model, version}),
                &streams_open.with({model, version}),
                &requests.with({model, version, "stop"}),
                &requests.with({model, version, "length"}),
                &requests.with({model, version, "cancelled"}),
                &requests.with({model, version, "error"}),
                &worker_restarts.with({model, version}),
                &preemptions.with({model, version})};
}

}  // namespace maas::llm
