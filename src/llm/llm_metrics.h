// Prometheus metrics of LLM serving, per model and version: tokens in and out, time to first token, inter-token
// latency, requests running and waiting in the engine, KV cache usage, streams open in maasd.
#pragma once

#include <string>

#include "metrics/metrics.h"

namespace maas::llm {

struct LlmMetrics {
  explicit LlmMetrics(metrics::Registry& registry);

  // One version's children, resolved once (the token path must not look labels up).
  struct Series {
    metrics::Counter* prompt_tokens;
    metrics::Counter* generated_tokens;
    metrics::Counter* cached_prompt_tokens;
    metrics::Histogram* time_to_first_token;
    metrics::Histogram* inter_token_latency;
    metrics::Gauge* running;
    metrics::Gauge* waiting;
    metrics::Gauge* kv_usage;
    metrics::Gauge* streams_open;
    metrics::Counter* finished_stop;
    metrics::Counter* finished_length;
    metrics::Counter* cancelled;
    metrics::Counter* failed;
    metrics::Counter* worker_restarts;
    metrics::Counter* preemptions;
  };
  Series series(const std::string& model, const std::string& version);

  metrics::Family<metrics::Counter>& prompt_tokens;
  metrics::Family<metrics::Counter>& generated_tokens;
  metrics::Family<metrics::Counter>& cached_prompt_tokens;
  metrics::Family<metrics::Histogram>& time_to_first_token;
  metrics::Family<metrics::Histogram>& inter_token_latency;
  metrics::Family<metrics::Gauge>& running;
  metrics::Family<metrics::Gauge>& waiting;
  metrics::Family<metrics::Gauge>& kv_usage;
  metrics::Family<metrics::Gauge>& streams_open;
  metrics::Family<metrics::Counter>& requests;
  metrics::Family<metrics::Counter>& worker_restarts;
  metrics::Family<metrics::Counter>& preemptions;
};

}  // namespace maas::llm
