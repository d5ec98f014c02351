// OpenAI's response shapes for one choice of a chat or legacy completion: its text, finish reason and
// log-probabilities, whole or as stream chunks, built from the engine's events. Pure JSON; one per choice, not
// thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "llm/generation.h"

namespace maas::api {

class ChoiceBuilder {
 public:
  // `logprobs`: whether the request asked for them (the field is null otherwise, as OpenAI's).
  ChoiceBuilder(int index, bool chat, bool logprobs) : index_(index), chat_(chat), logprobs_(logprobs) {}

  // The choice as a chunk carrying `text`, its tokens' log-probabilities and pieces of tool calls (chat); all are
  // kept for whole().
  nlohmann::json chunk(const std::string& text, const std::vector<llm::TokenLogprob>& logprobs,
                       const std::vector<llm::ToolCallDelta>& tool_calls = {});
  // The last chunk: an empty delta (chat) or text and the finish reason.
  nlohmann::json last_chunk(const std::string& finish_reason) const;
  // The whole choice, after every chunk() (whose results the caller may drop).
  nlohmann::json whole(const std::string& finish_reason) const;

 private:
  nlohmann::json tool_call_pieces(const std::vector<llm::ToolCallDelta>& tool_calls);
  nlohmann::json logprobs_json(const std::vector<llm::TokenLogprob>& logprobs, int64_t offset) const;

  int index_;
  bool chat_;
  bool logprobs_;
  std::string text_;
  std::vector<llm::TokenLogprob> all_;
  nlohmann::json calls_ = nlohmann::json::array();  // message.tool_calls[], assembled from the pieces
  int64_t echo_bytes_ = 0;
};

// {"token", "logprob", "bytes"} of a token whose bytes may not be whole UTF-8 (token then has U+FFFD for them).
nlohmann::json token_logprob_json(const llm::TokenChoice& choice);

}  // namespace maas::api
