// OpenAI's request bodies parsed at the edge into what the LLM engine takes, and its response shapes. Pure JSON
// in and out (unit-tested); the routes are in openai_routes.cc.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "llm/generation.h"

namespace maas::api {

// The request field an error is about (OpenAI's error.param) and, when not the status's own, OpenAI's error.code
// ("unsupported_parameter", "unknown_parameter").
struct FieldError {
  std::string param;
  std::string code;
};

// A legacy completion's prompt: text or token ids.
struct Prompt {
  std::optional<std::string> text;
  std::vector<int32_t> tokens;
};

struct CompletionCall {
  std::string model;  // "name" or "name@alias"
  llm::GenerateRequest request;  // chat: the whole request; completions: all but the prompt
  std::vector<Prompt> prompts;   // completions: one choice set per prompt
  int n = 1;                     // choices per prompt
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage
};

struct EmbeddingCall {
  std::string model;
  llm::EmbedRequest request;
  bool base64 = false;  // encoding_format "base64" (what the official SDKs ask for)
  std::optional<int64_t> dimensions;  // truncate to this many and L2-renormalise
};

// POST /v1/chat/completions (chat = true) and POST /v1/completions. `raw`: the body's text, whose key order a
// response_format json_schema keeps (empty: the parsed body's, alphabetical).
Result<CompletionCall> parse_completion_call(const nlohmann::json& body, bool chat, FieldError* error,
                                             std::string_view raw = {});
Result<EmbeddingCall> parse_embedding_call(const nlohmann::json& body, FieldError* error);

// The engine requests a call makes, in OpenAI's choice order: prompt i's choices are i * n .. i * n + n - 1. Choice
// j of a prompt samples with seed + j, so that n seeded choices differ and are each reproducible.
std::vector<llm::GenerateRequest> choice_requests(const CompletionCall& call);

// A GBNF grammar accepting one JSON object (response_format {"type": "json_object"}).
const std::string& json_object_grammar();

}  // namespace maas::api
