#include "llm/generation.h"

namespace maas::llm {
using nlohmann::json;

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ToolCall, id, name, arguments)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ChatMessage, role, content, tool_calls, tool_call_id)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ToolCallDelta, index, id, name, arguments)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ToolSpec, tools, choice, parallel)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Completion, finish_reason, prompt_tokens, completion_tokens, cached_tokens)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EngineStats, running, waiting, kv_used_cells, kv_total_cells,
                                                preemptions)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ModelInfo, architecture, name, context_length, train_context_length,
                                                embedding_length, vocab_size, parameter_count, max_sequences,
                                                chat_template, bos_token, eos_token, deterministic)

json to_json(const GenerateRequest& r) {
  const SamplingParams& s = r.sampling;
  json sampling = {{"temperature", s.temperature},         {"top_p", s.top_p},
                   {"top_k", s.top_k},                     {"min_p", s.min_p},
                   {"repeat_penalty", s.repeat_penalty},   {"frequency_penalty", s.frequency_penalty},
                   {"presence_penalty", s.presence_penalty}, {"penalty_last_n", s.penalty_last_n}};
  if (s.seed) sampling["seed"] = *s.seed;
  json j = {{"messages", r.messages}, {"sampling", sampling}, {"stop", r.stop}, {"grammar", r.grammar}};
  if (r.prompt) j["prompt"] = *r.prompt;
  if (!r.prompt_tokens.empty()) j["prompt_tokens"] = r.prompt_tokens;
  if (!r.logit_bias.empty()) j["logit_bias"] = r.logit_bias;  // [[id, bias], ...]: JSON keys are strings
  if (r.logprobs >= 0) j["logprobs"] = r.logprobs;
  if (r.echo) j["echo"] = true;
  if (r.max_tokens) j["max_tokens"] = *r.max_tokens;
  if (!r.tools.tools.empty()) j["tools"] = r.tools;
  if (!r.json_schema.empty()) j["json_schema"] = r.json_schema;
  return j;
}

Result<GenerateRequest> generate_request_from_json(const json& j) {
  try {
    GenerateRequest r;
    if (j.contains("prompt")) r.prompt = j.at("prompt").get<std::string>();
    r.prompt_tokens = j.value("prompt_tokens", std::vector<int32_t>{});
    r.messages = j.value("messages", std::vector<ChatMessage>{});
    int forms = int{r.prompt.has_value()} + int{!r.prompt_tokens.empty()} + int{!r.messages.empty()};
    if (forms != 1) return invalid_argument("a request needs one of a prompt, prompt tokens or messages");
    r.logit_bias = j.value("logit_bias", std::vector<std::pair<int32_t, float>>{});
    r.logprobs = j.value("logprobs", r.logprobs);
    r.echo = j.value("echo", false);
    const json& s = j.value("sampling", json::object());
    SamplingParams& p = r.sampling;
    p.temperature = s.value("temperature", p.temperature);
    p.top_p = s.value("top_p", p.top_p);
    p.top_k = s.value("top_k", p.top_k);
    p.min_p = s.value("min_p", p.min_p);
    if (s.contains("seed")) p.seed = s.at("seed").get<uint32_t>();
    p.repeat_penalty = s.value("repeat_penalty", p.repeat_penalty);
    p.frequency_penalty = s.value("frequency_penalty", p.frequency_penalty);
    p.presence_penalty = s.value("presence_penalty", p.presence_penalty);
    p.penalty_last_n = s.value("penalty_last_n", p.penalty_last_n);
    if (j.contains("max_tokens")) r.max_tokens = j.at("max_tokens").get<int32_t>();
    r.stop = j.value("stop", std::vector<std::string>{});
    r.grammar = j.value("grammar", "");
    if (j.contains("tools")) r.tools = j.at("tools").get<ToolSpec>();
    r.json_schema = j.value("json_schema", "");
    return r;
  } catch (const json::exception& e) {
    return invalid_argument(std::string("malformed generate request: ") + e.what());
  }
}

json to_json(const std::vector<TokenLogprob>& logprobs) {
  auto choice = [](const TokenChoice& c) {
    return json{{"id", c.id}, {"bytes", std::vector<uint8_t>(c.bytes.begin(), c.bytes.end())}, {"logprob", c.logprob}};
  };
  json out = json::array();
  for (const auto& l : logprobs) {
    json top = json::array();
    for (const auto& t : l.top) top.push_back(choice(t));
    json entry = choice(l.chosen);
    entry["top"] = std::move(top);
    out.push_back(std::move(entry));
  }
  return out;
}

Result<std::vector<TokenLogprob>> token_logprobs_from_json(const json& j) {
  try {
    auto choice = [](const json& c) {
      auto bytes = c.at("bytes").get<std::vector<uint8_t>>();
      return TokenChoice{c.at("id").get<int32_t>(), std::string(bytes.begin(), bytes.end()),
                         c.at("logprob").get<double>()};
    };
    std::vector<TokenLogprob> out;
    for (const auto& entry : j) {
      TokenLogprob l{choice(entry), {}};
      for (const auto& t : entry.at("top")) l.top.push_back(choice(t));
      out.push_back(std::move(l));
    }
    return out;
  } catch (const json::exception& e) {
    return invalid_argument(std::string("malformed token logprobs: ") + e.what());
  }
}

json to_json(const std::vector<ToolCallDelta>& deltas) { return deltas; }

Result<std::vector<ToolCallDelta>> tool_call_deltas_from_json(const json& j) {
  try {
    return j.get<std::vector<ToolCallDelta>>();
  } catch (const json::exception& e) {
    return invalid_argument(std::string("malformed tool call deltas: ") + e.what());
  }
}

json to_json(const Completion& c) { return c; }
Completion completion_from_json(const json& j) { return j.get<Completion>(); }
json to_json(const EngineStats& s) { return s; }
EngineStats engine_stats_from_json(const json& j) { return j.get<EngineStats>(); }
json to_json(const ModelInfo& m) { return m; }
ModelInfo model_info_from_json(const json& j) { return j.get<ModelInfo>(); }

}  // namespace maas::llm
