// How a loaded model version runs: worker instances and their resources, and Triton's dynamic batching controls.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "runtime/circuit_breaker.h"

namespace maas::runtime {

struct DeploymentConfig {
  int instances = 1;                 // worker processes
  int threads = 1;                   // intra-op threads per worker
  uint64_t memory_limit_bytes = 0;   // per worker data (RLIMIT_DATA); 0: the server's runtime.worker_memory_limit
  int max_batch_size = 8;            // rows per batch; 0 or 1 turns dynamic batching off
  // How long the oldest request may wait for a fuller batch. 0 (Triton's default): a batch is whatever queued
  // while the replicas were busy — under load batches fill by themselves, and a lone request never waits.
  int64_t max_queue_delay_us = 0;
  std::vector<int> preferred_batch_sizes;  // dispatch at once when the batch reaches one of these
  int max_queue_size = 1024;         // queued requests; beyond it: 503 with Retry-After
  int64_t default_timeout_ms = 30'000;    // a request's deadline unless it asks for a shorter one
  int64_t execution_timeout_ms = 60'000;  // a batch running longer means a hung worker: it is killed
  int64_t load_timeout_ms = 300'000;
  bool warmup = true;                // run one zero-filled request per instance before READY
  CircuitBreakerConfig circuit_breaker;  // per-replica breakers and the retry budget
};

// Reads config.<key> into *out when present: INVALID_ARGUMENT unless an integer in [min, max].
template <typename T>
Status read_config_int(const nlohmann::json& j, const char* key, T* out, int64_t min, int64_t max) {
  auto it = j.find(key);
  if (it == j.end()) return {};
  if (!it->is_number_integer()) return invalid_argument(std::string("config.") + key + " must be an integer");
  int64_t v = it->get<int64_t>();
  if (v < min || v > max) {
    return invalid_argument(std::string("config.") + key + " must be between " + std::to_string(min) + " and " +
                            std::to_string(max));
  }
  *out = static_cast<T>(v);
  return {};
}
// INVALID_ARGUMENT naming the first key of `j` that is not in `known`.
Status check_config_fields(const nlohmann::json& j, std::initializer_list<const char*> known);

// Reads a config object (all fields optional); INVALID_ARGUMENT naming the field on a bad value or unknown key.
Result<DeploymentConfig> parse_deployment_config(const nlohmann::json& j);
nlohmann::json deployment_config_json(const DeploymentConfig& c);

}  // namespace maas::runtime
