// What maasd asks an LLM worker to do and what the worker answers, as plain structs with their JSON form on the
// worker channel (runtime/wire.h frames; the frame's request id names the stream). Pure data: no engine, no I/O,
// so maasd and the worker share it and unit tests can check it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace maas::llm {

// Message kinds on the worker channel, after runtime::wire::Kind's batch kinds.
enum class MessageKind : uint32_t {
  kGenerate = 10,     // maasd -> worker: GenerateRequest
  kCancel = 11,       // maasd -> worker: stop the stream, free its sequence
  kEmbed = 12,        // maasd -> worker: EmbedRequest
  kAccepted = 20,     // worker -> maasd: {"prompt_tokens"}; the prompt fits and the stream is queued
  kTokens = 21,       // worker -> maasd: {"text", "tokens", "logprobs"?: [TokenLogprob]} of one decode step
  kDone = 22,         // worker -> maasd: Completion
  kEmbeddings = 23,   // worker -> maasd: {"data": [[...]], "prompt_tokens"}
  kStats = 24,        // worker -> maasd: EngineStats, whenever it changes
  kStreamError = 25,  // worker -> maasd: {"code", "message"} for one stream
  // kTokens may carry "tool_calls": [ToolCallDelta] (a chat with tools: its text is then the message's content only)
};

// A function call an assistant made: OpenAI's tool_calls[] {id, function: {name, arguments (JSON text)}}.
struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments;
};

struct ChatMessage {
  std::string role;
  std::string content;
  std::vector<ToolCall> tool_calls;  // assistant messages
  std::string tool_call_id;          // tool messages: the call this answers
};

// A streamed piece of tool call `index` (OpenAI's delta.tool_calls[]): the first piece of a call carries its id and
// name, later ones more of its arguments' text.
struct ToolCallDelta {
  int index = 0;
  std::string id;
  std::string name;
  std::string arguments;
};

// The tools a chat request offers (rendered by the worker with the model's own chat template).
struct ToolSpec {
  nlohmann::json tools = nlohmann::json::array();  // OpenAI's tools[]: {"type": "function", "function": {...}}
  std::string choice = "auto";                     // "auto", "none" or "required" (a named choice: one tool, required)
  bool parallel = true;                            // parallel_tool_calls
};

// Per-request sampling, with OpenAI's names. temperature 0 is greedy.
struct SamplingParams {
  double temperature = 1.0;
  double top_p = 1.0;
  int32_t top_k = 0;  // 0: off
  double min_p = 0.0;
  std::optional<uint32_t> seed;
  double repeat_penalty = 1.0;
  double frequency_penalty = 0.0;
  double presence_penalty = 0.0;
  int32_t penalty_last_n = 64;
};

struct GenerateRequest {
  // Exactly one of the three: a raw prompt or its token ids (completions), or chat messages (rendered with the
  // model's template).
  std::optional<std::string> prompt;
  std::vector<int32_t> prompt_tokens;
  std::vector<ChatMessage> messages;
  SamplingParams sampling;
  std::vector<std::pair<int32_t, float>> logit_bias;  // token id -> added to its logit before sampling
  int32_t logprobs = -1;              // -1: none; k >= 0: each token's log-probability and the k most likely
  bool echo = false;                  // the prompt's text comes first in the output (completions)
  std::optional<int32_t> max_tokens;  // none: until the context is full
  std::vector<std::string> stop;      // generation ends before the first occurrence of any of these
  std::string grammar;                // GBNF; empty: unconstrained
  std::string json_schema;            // a checked JSON Schema (api/json_schema_check.h) the worker makes the grammar of
  ToolSpec tools;                     // chat: the tools the model may call (none: plain chat)
};

// Texts or token-id sequences (one of the two).
struct EmbedRequest {
  std::vector<std::string> inputs;
  std::vector<std::vector<int32_t>> token_inputs;
};

// One alternative at a generated position: the token's bytes (maybe part of a UTF-8 character) and its
// log-probability under the model's distribution.
struct TokenChoice {
  int32_t id = 0;
  std::string bytes;
  double logprob = 0;
};

// A generated token's log-probability and the most likely tokens at its position (GenerateRequest::logprobs).
struct TokenLogprob {
  TokenChoice chosen;
  std::vector<TokenChoice> top;
};

struct Completion {
  std::string finish_reason;  // "stop", "length" or "tool_calls"
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t cached_tokens = 0;  // prompt tokens reused from an earlier request's KV cache
};

struct EngineStats {
  int64_t running = 0;        // sequences decoding
  int64_t waiting = 0;        // accepted, waiting for a free sequence slot
  int64_t kv_used_cells = 0;  // KV cache cells held by running sequences
  int64_t kv_total_cells = 0;
  int64_t preemptions = 0;  // since the worker started: sequences preempted because the KV cache was full
};

// What the worker knows about its model, sent with READY.
struct ModelInfo {
  std::string architecture;
  std::string name;
  int64_t context_length = 0;   // per sequence, as served
  int64_t train_context_length = 0;
  int64_t embedding_length = 0;
  int64_t vocab_size = 0;
  int64_t parameter_count = 0;
  int64_t max_sequences = 0;
  std::string chat_template;    // empty when the model has none
  std::string bos_token;
  std::string eos_token;
  bool deterministic = false;   // batch-invariant decoding
};

nlohmann::json to_json(const GenerateRequest& r);
Result<GenerateRequest> generate_request_from_json(const nlohmann::json& j);
// Bytes travel as arrays of integers: a token's bytes need not be valid UTF-8, which JSON text must be.
nlohmann::json to_json(const std::vector<TokenLogprob>& logprobs);
Result<std::vector<TokenLogprob>> token_logprobs_from_json(const nlohmann::json& j);
nlohmann::json to_json(const std::vector<ToolCallDelta>& deltas);
Result<std::vector<ToolCallDelta>> tool_call_deltas_from_json(const nlohmann::json& j);
nlohmann::json to_json(const Completion& c);
Completion completion_from_json(const nlohmann::json& j);
nlohmann::json to_json(const EngineStats& s);
EngineStats engine_stats_from_json(const nlohmann::json& j);
nlohmann::json to_json(const ModelInfo& m);
ModelInfo model_info_from_json(const nlohmann::json& j);

}  // namespace maas::llm
