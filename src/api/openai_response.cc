#include "api/openai_response.h"

#include "llm/text_stream.h"

namespace maas::api {
using nlohmann::json;

json token_logprob_json(const llm::TokenChoice& c) {
  return {{"token", llm::TextStream::whole(c.bytes)},
          {"logprob", c.logprob},
          {"bytes", std::vector<uint8_t>(c.bytes.begin(), c.bytes.end())}};
}

// Chat: {"content": [{token, logprob, bytes, top_logprobs}], "refusal": null}. Legacy: parallel arrays, with
// text_offset the byte offset of each token in the choice's text (from `offset`).
json ChoiceBuilder::logprobs_json(const std::vector<llm::TokenLogprob>& logprobs, int64_t offset) const {
  if (!logprobs_) return nullptr;
  if (chat_) {
    json content = json::array();
    for (const auto& l : logprobs) {
      json entry = token_logprob_json(l.chosen);
      json top = json::array();
      for (const auto& t : l.top) top.push_back(token_logprob_json(t));
      entry["top_logprobs"] = std::move(top);
      content.push_back(std::move(entry));
    }
    return {{"content", std::move(content)}, {"refusal", nullptr}};
  }
  json tokens = json::array(), token_logprobs = json::array(), top_logprobs = json::array(), offsets = json::array();
  for (const auto& l : logprobs) {
    tokens.push_back(llm::TextStream::whole(l.chosen.bytes));
    token_logprobs.push_back(l.chosen.logprob);
    json top = json::object();
    for (const auto& t : l.top) top[llm::TextStream::whole(t.bytes)] = t.logprob;
    top_logprobs.push_back(std::move(top));
    offsets.push_back(offset);
    offset += static_cast<int64_t>(l.chosen.bytes.size());
  }
  return {
      {"tokens", tokens}, {"token_logprobs", token_logprobs}, {"top_logprobs", top_logprobs}, {"text_offset", offsets}};
}

json ChoiceBuilder::chunk(const std::string& text, const std::vector<llm::TokenLogprob>& logprobs) {
  // Offsets count bytes: the echoed prompt's (text before the first token) and the tokens' before.
  if (all_.empty() && logprobs.empty()) echo_bytes_ += static_cast<int64_t>(text.size());
  int64_t offset = echo_bytes_;
  for (const auto& l : all_) offset += static_cast<int64_t>(l.chosen.bytes.size());
  json lp = logprobs_json(logprobs, offset);
  text_ += text;
  all_.insert(all_.end(), logprobs.begin(), logprobs.end());
  json choice = {{"index", index_}, {"finish_reason", nullptr}};
  if (chat_) {
    choice["delta"] = {{"content", text}};
  } else {
    choice["text"] = text;
  }
  choice["logprobs"] = std::move(lp);
  return choice;
}

json ChoiceBuilder::last_chunk(const std::string& finish_reason) const {
  json choice = {{"index", index_}, {"finish_reason", finish_reason}};
  if (chat_) {
    choice["delta"] = json::object();
  } else {
    choice["text"] = "";
  }
  choice["logprobs"] = nullptr;
  return choice;
}

json ChoiceBuilder::whole(const std::string& finish_reason) const {
  json choice = {{"index", index_}, {"finish_reason", finish_reason}};
  if (chat_) {
    choice["message"] = {{"role", "assistant"}, {"content", text_}};
  } else {
    choice["text"] = text_;
  }
  choice["logprobs"] = logprobs_json(all_, echo_bytes_);
  return choice;
}

}  // namespace maas::api
