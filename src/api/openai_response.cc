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

json ChoiceBuilder::chunk(const std::string& text, const std::vector<llm::TokenLogprob>& logprobs,
                          const std::vector<llm::ToolCallDelta>& tool_calls) {
  // Offsets count bytes: the echoed prompt's (text before the first token) and the tokens' before.
  if (all_.empty() && logprobs.empty()) echo_bytes_ += static_cast<int64_t>(text.size());
  int64_t offset = echo_bytes_;
  for (const auto& l : all_) offset += static_cast<int64_t>(l.chosen.bytes.size());
  json lp = logprobs_json(logprobs, offset);
  text_ += text;
  all_.insert(all_.end(), logprobs.begin(), logprobs.end());
  json choice = {{"index", index_}, {"finish_reason", nullptr}};
  if (chat_) {
    choice["delta"] = json::object();
    if (!text.empty() || tool_calls.empty()) choice["delta"]["content"] = text;
    if (!tool_calls.empty()) choice["delta"]["tool_calls"] = tool_call_pieces(tool_calls);
  } else {
    choice["text"] = text;
  }
  choice["logprobs"] = std::move(lp);
  return choice;
}

// OpenAI's delta.tool_calls[]: a call's first piece names it ({index, id, type, function: {name, arguments}}),
// later ones add to its arguments ({index, function: {arguments}}). The whole calls are kept for whole().
json ChoiceBuilder::tool_call_pieces(const std::vector<llm::ToolCallDelta>& tool_calls) {
  json pieces = json::array();
  for (const auto& d : tool_calls) {
    // The worker numbers calls from 0; a number past any real answer's (OpenAI allows 128 calls) is dropped rather
    // than growing calls_ to it.
    if (d.index < 0 || d.index >= 128) continue;
    json function = {{"arguments", d.arguments}};
    json piece = {{"index", d.index}};
    if (!d.name.empty()) {
      function["name"] = d.name;
      piece["id"] = d.id;
      piece["type"] = "function";
    }
    piece["function"] = std::move(function);
    pieces.push_back(std::move(piece));
    auto index = static_cast<size_t>(d.index);
    while (calls_.size() <= index) {
      calls_.push_back({{"id", ""}, {"type", "function"}, {"function", {{"name", ""}, {"arguments", ""}}}});
    }
    json& call = calls_[index];
    if (!d.id.empty()) call["id"] = d.id;
    if (!d.name.empty()) call["function"]["name"] = d.name;
    call["function"]["arguments"] = call["function"]["arguments"].get<std::string>() + d.arguments;
  }
  return pieces;
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
    // As OpenAI's: a message that only calls tools has a null content.
    choice["message"] = {{"role", "assistant"}, {"content", text_.empty() && !calls_.empty() ? json() : json(text_)}};
    if (!calls_.empty()) choice["message"]["tool_calls"] = calls_;
  } else {
    choice["text"] = text_;
  }
  choice["logprobs"] = logprobs_json(all_, echo_bytes_);
  return choice;
}

}  // namespace maas::api
