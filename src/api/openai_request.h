// OpenAI's request bodies parsed at the edge into what the LLM engine takes, and its response shapes. Pure JSON
// in and out (unit-tested); the routes are in openai_routes.cc.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "llm/generation.h"

namespace maas::api {

// A Status plus the request field it is about (OpenAI's error.param).
struct FieldError {
  Status status;
  std::string param;
};

struct CompletionCall {
  std::string model;  // "name" or "name@alias"
  llm::GenerateRequest request;
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage
};

struct EmbeddingCall {
  std::string model;
  llm::EmbedRequest request;
  bool base64 = false;  // encoding_format "base64" (what the official SDKs ask for)
};

// POST /v1/chat/completions (chat = true) and POST /v1/completions.
Result<CompletionCall> parse_completion_call(const nlohmann::json& body, bool chat, std::string* param);
Result<EmbeddingCall> parse_embedding_call(const nlohmann::json& body, std::string* param);

// A GBNF grammar accepting one JSON object (response_format {"type": "json_object"}).
const std::string& json_object_grammar();

}  // namespace maas::api
