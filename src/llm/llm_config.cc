#include "llm/llm_config.h"

#include "runtime/deployment_config.h"

namespace maas::llm {
using runtime::read_config_int;
namespace {

Status read_config_bool(const nlohmann::json& j, const char* key, bool* out) {
  auto it = j.find(key);
  if (it == j.end()) return {};
  if (!it->is_boolean()) return invalid_argument(std::string("config.") + key + " must be true or false");
  *out = it->get<bool>();
  return {};
}

}  // namespace

Result<LlmConfig> parse_llm_config(const nlohmann::json& j) {
  LlmConfig c;
  if (j.is_null()) return c;
  if (!j.is_object()) return invalid_argument("config must be a JSON object");
  MAAS_RETURN_IF_ERROR(runtime::check_config_fields(
      j, {"threads", "max_sequences", "context", "batch_tokens", "max_waiting", "max_streams", "max_choices",
          "deterministic", "load_timeout_ms", "memory_limit_bytes", "prefill_tokens", "prefix_cache", "kv_cells",
          "max_preemptions"}));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "threads", &c.threads, 1, 256));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "max_sequences", &c.max_sequences, 1, 256));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "context", &c.context, 0, 1 << 20));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "batch_tokens", &c.batch_tokens, 16, 1 << 16));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "prefill_tokens", &c.prefill_tokens, 0, 1 << 16));
  if (c.prefill_tokens > c.batch_tokens) {
    return invalid_argument("config.prefill_tokens (" + std::to_string(c.prefill_tokens) +
                            ") must be at most batch_tokens (" + std::to_string(c.batch_tokens) + ")");
  }
  MAAS_RETURN_IF_ERROR(read_config_int(j, "kv_cells", &c.kv_cells, 0, 1 << 24));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "max_preemptions", &c.max_preemptions, 0, 1000));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "max_waiting", &c.max_waiting, 0, 1 << 20));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "max_streams", &c.max_streams, 1, 1 << 20));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "max_choices", &c.max_choices, 1, 1024));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "load_timeout_ms", &c.load_timeout_ms, 1, 3'600'000));
  MAAS_RETURN_IF_ERROR(read_config_int(j, "memory_limit_bytes", &c.memory_limit_bytes, 0, INT64_MAX));
  MAAS_RETURN_IF_ERROR(read_config_bool(j, "deterministic", &c.deterministic));
  MAAS_RETURN_IF_ERROR(read_config_bool(j, "prefix_cache", &c.prefix_cache));
  // Every running sequence puts a token in each step's batch.
  if (c.max_sequences > c.batch_tokens) {
    return invalid_argument("config.batch_tokens (" + std::to_string(c.batch_tokens) +
                            ") must be at least max_sequences (" + std::to_string(c.max_sequences) + ")");
  }
  if (c.kv_cells > 0 && c.context > c.kv_cells) {
    return invalid_argument("config.kv_cells (" + std::to_string(c.kv_cells) + ") must hold one sequence's context (" +
                            std::to_string(c.context) + ")");
  }
  // A sequence's attention then spans cells that other sequences' placement decides.
  if (c.kv_cells > 0 && c.deterministic) {
    return invalid_argument("config.deterministic needs a KV cache per sequence: kv_cells must be 0");
  }
  return c;
}

nlohmann::json llm_config_json(const LlmConfig& c) {
  return {{"threads", c.threads},
          {"max_sequences", c.max_sequences},
          {"context", c.context},
          {"batch_tokens", c.batch_tokens},
          {"prefill_tokens", c.prefill_tokens},
          {"prefix_cache", c.prefix_cache},
          {"kv_cells", c.kv_cells},
          {"max_preemptions", c.max_preemptions},
          {"max_waiting", c.max_waiting},
          {"max_streams", c.max_streams},
          {"max_choices", c.max_choices},
          {"deterministic", c.deterministic},
          {"load_timeout_ms", c.load_timeout_ms},
          {"memory_limit_bytes", c.memory_limit_bytes}};
}

}  // namespace maas::llm
