#include "backends/gguf/chat_tools.h"

#include <llama-common/chat.h>
#include <llama-common/common.h>
#include <llama-common/json-schema-to-grammar.h>
#include <llama.h>

#include <algorithm>
#include <exception>
#include <regex>

#include "common/random.h"

namespace maas::backends::gguf {
namespace {

// The grammar a schema may become (maasd bounds the schema's size, api/json_schema_check.h, and says the same).
constexpr size_t kMaxGrammarBytes = size_t{1} << 20;

// OpenAI's ids look like "call_" and 24 characters.
std::string new_call_id() { return "call_" + random_hex(12); }

common_chat_msg to_common(const llm::ChatMessage& m) {
  common_chat_msg out;
  out.role = m.role;
  out.content = m.content;
  for (const auto& call : m.tool_calls) out.tool_calls.push_back({call.name, call.arguments, call.id});
  out.tool_call_id = m.tool_call_id;
  return out;
}

// The trigger patterns llama.cpp's own sampler setup (common/sampling.cpp) makes of a template's triggers: a word
// that is one preserved token triggers on the token, other words as escaped regexes, full patterns anchored.
void add_trigger(const GgufModel& model, const common_grammar_trigger& trigger, const std::set<Token>& preserved,
                 ToolChat* out) {
  switch (trigger.type) {
    case COMMON_GRAMMAR_TRIGGER_TYPE_TOKEN:
      out->trigger_tokens.push_back(trigger.token);
      return;
    case COMMON_GRAMMAR_TRIGGER_TYPE_WORD: {
      auto tokens = model.tokenize(trigger.value, /*add_special=*/false);
      if (tokens.ok() && tokens->size() == 1 && preserved.contains((*tokens)[0])) {
        out->trigger_tokens.push_back((*tokens)[0]);
      } else {
        out->trigger_patterns.push_back(regex_escape(trigger.value));
      }
      return;
    }
    case COMMON_GRAMMAR_TRIGGER_TYPE_PATTERN:
      out->trigger_patterns.push_back(trigger.value);
      return;
    case COMMON_GRAMMAR_TRIGGER_TYPE_PATTERN_FULL: {
      const std::string& p = trigger.value;
      out->trigger_patterns.push_back(p.empty() ? "^$"
                                                : (p.front() != '^' ? "^" : "") + p + (p.back() != '$' ? "$" : ""));
      return;
    }
  }
}

// The tokens of the generation prompt (what the template wrote to open the assistant's turn), which a non-lazy
// tool-call grammar starts with: the prompt's own last tokens when they spell it exactly (a tokenizer that adds a
// leading space would spell it alone differently), else it tokenized alone without a leading space token, as
// common/sampling.cpp does.
std::vector<Token> prefill_tokens(const GgufModel& model, const std::string& prompt, const std::vector<Token>& tokens,
                                  bool add_special, const std::string& generation_prompt) {
  if (generation_prompt.empty()) return {};
  if (prompt.ends_with(generation_prompt)) {
    auto head = model.tokenize(prompt.substr(0, prompt.size() - generation_prompt.size()), add_special);
    if (head.ok() && head->size() <= tokens.size() && std::equal(head->begin(), head->end(), tokens.begin())) {
      std::vector<Token> tail(tokens.begin() + static_cast<std::ptrdiff_t>(head->size()), tokens.end());
      std::string text;
      for (Token t : tail) text += model.piece_bytes(t);
      if (text == generation_prompt) return tail;
    }
  }
  auto alone = model.tokenize(generation_prompt, /*add_special=*/false);
  if (!alone.ok()) return {};
  if (!alone->empty() && !std::isspace(static_cast<unsigned char>(generation_prompt[0]))) {
    std::string first = model.piece_bytes((*alone)[0]);
    if (!first.empty() && std::isspace(static_cast<unsigned char>(first[0]))) alone->erase(alone->begin());
  }
  return *alone;
}

// common's tool-call grammars let free text come before the calls (until the family's opening marker) even when
// calls are required; a random or unwilling model can then write text until max_tokens and call nothing. Under
// "required" (and a named choice) the root rule loses that optional text, so the calls come first, as OpenAI's
// "required" means. The rule's shape is this llama.cpp release's: a grammar without it is left as it is.
std::string calls_first(const std::string& grammar) {
  static const std::regex kOptionalText(R"((\nroot ::= [^\n]*?) until-[0-9]+\? (tool-calls?\b))");
  std::string text = "\n" + grammar;
  return std::regex_replace(text, kOptionalText, "$1 $2", std::regex_constants::format_first_only).substr(1);
}

// This release's grammars for families that wrap each call on its own (Qwen2.5's and Hermes's <tool_call>) repeat
// the call whatever parallel_tool_calls says; without parallel calls the repetition goes.
std::string one_call(const std::string& grammar) {
  static const std::regex kRepeated(R"((\ntool-calls ::= )\((.*)\)\+\n)");
  std::string text = "\n" + grammar;
  return std::regex_replace(text, kRepeated, "$1$2\n", std::regex_constants::format_first_only).substr(1);
}

}  // namespace

struct ToolCallStream::Message {
  common_chat_msg msg;
};

ToolCallStream::ToolCallStream(std::unique_ptr<common_chat_parser_params> params)
    : params_(std::move(params)), previous_(std::make_unique<Message>()) {}
ToolCallStream::~ToolCallStream() = default;

ChatDelta ToolCallStream::push(const std::string& text, bool last) {
  ChatDelta out;
  if (text.empty() && !last) return out;  // nothing new to parse (the text stream held the token's bytes back)
  text_ += text;
  common_chat_msg msg;
  try {
    msg = common_chat_parse(text_, /*is_partial=*/!last, *params_);
  } catch (const std::exception&) {
    // An output the strict parse rejects (cut by max_tokens, or free text where the format wanted more) keeps what
    // the lenient partial parse found.
    if (!last) return out;
    try {
      msg = common_chat_parse(text_, /*is_partial=*/true, *params_);
    } catch (const std::exception&) {
      return out;
    }
  }
  if (msg.empty()) return out;
  try {
    msg.set_tool_call_ids(ids_, new_call_id);
    for (auto& d : common_chat_msg_diff::compute_diffs(previous_->msg, msg)) {
      out.content += d.reasoning_content_delta;
      out.content += d.content_delta;
      if (d.tool_call_index == std::string::npos) continue;
      int index = static_cast<int>(d.tool_call_index);
      if (!out.tool_calls.empty() && out.tool_calls.back().index == index) {
        out.tool_calls.back().arguments += d.tool_call_delta.arguments;
        continue;
      }
      out.tool_calls.push_back({index, d.tool_call_delta.id, d.tool_call_delta.name, d.tool_call_delta.arguments});
    }
  } catch (const std::exception&) {
    return out;  // a parse that is not an extension of the last one: wait for the next
  }
  calls_ = msg.tool_calls.size();
  previous_->msg = std::move(msg);
  return out;
}

ChatTools::ChatTools(const GgufModel& model) : model_(model), templates_(nullptr, common_chat_templates_free) {
  try {
    templates_.reset(common_chat_templates_init(model.model(), "").release());
  } catch (const std::exception& e) {
    init_error_ = e.what();
  }
}

ChatTools::~ChatTools() = default;

bool ChatTools::wants(const llm::GenerateRequest& request) {
  if (!request.tools.tools.empty()) return true;
  for (const auto& m : request.messages) {
    if (m.role == "tool" || !m.tool_calls.empty()) return true;
  }
  return false;
}

Result<ToolChat> ChatTools::render(const llm::GenerateRequest& request) const {
  if (!templates_)
    return invalid_argument("this model's chat template cannot be read for tool calling: " + init_error_);
  common_chat_templates_inputs in;
  const llm::ToolSpec& spec = request.tools;
  for (const auto& m : request.messages) in.messages.push_back(to_common(m));
  for (const auto& tool : spec.tools) {
    // maasd checked the shape (api/openai_tools.cc); find() keeps a bad one from throwing all the same.
    auto function = tool.find("function");
    if (function == tool.end() || !function->is_object()) continue;
    auto text = [&](const char* key) {
      auto it = function->find(key);
      return it != function->end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    auto parameters = function->find("parameters");
    in.tools.push_back({text("name"), text("description"),
                        parameters != function->end() ? parameters->dump() : std::string(R"({"type":"object"})")});
  }
  in.tool_choice = spec.choice == "none"       ? COMMON_CHAT_TOOL_CHOICE_NONE
                   : spec.choice == "required" ? COMMON_CHAT_TOOL_CHOICE_REQUIRED
                                               : COMMON_CHAT_TOOL_CHOICE_AUTO;
  in.parallel_tool_calls = spec.parallel;
  common_chat_params params;
  try {
    params = common_chat_templates_apply(templates_.get(), in);
  } catch (const std::exception& e) {
    return invalid_argument(std::string("the chat could not be rendered with this model's template: ") + e.what());
  }
  if (params.grammar.size() > kMaxGrammarBytes) {
    return invalid_argument("tools: the tools' grammar would be over " + std::to_string(kMaxGrammarBytes >> 20) +
                            " MiB; simplify their parameters");
  }
  ToolChat out;
  // A chat template writes the BOS itself when the model wants one.
  bool add_special = params.prompt.rfind(model_.info().bos_token, 0) != 0;
  MAAS_ASSIGN_OR_RETURN(out.tokens, model_.tokenize(params.prompt, add_special));
  for (const auto& text : params.preserved_tokens) {
    auto tokens = model_.tokenize(text, /*add_special=*/false);
    if (tokens.ok() && tokens->size() == 1) out.preserved.insert((*tokens)[0]);
  }
  bool calls = !in.tools.empty() && in.tool_choice != COMMON_CHAT_TOOL_CHOICE_NONE;
  if (calls) {
    out.lazy = params.grammar_lazy;
    out.grammar = out.lazy ? params.grammar : calls_first(params.grammar);
    if (!spec.parallel) out.grammar = one_call(out.grammar);
    for (const auto& trigger : params.grammar_triggers) add_trigger(model_, trigger, out.preserved, &out);
    if (!out.grammar.empty() && !out.lazy) {
      out.grammar_prefill = prefill_tokens(model_, params.prompt, out.tokens, add_special, params.generation_prompt);
    }
  }
  out.stops = params.additional_stops;
  auto parser = std::make_unique<common_chat_parser_params>(params);
  try {
    if (!params.parser.empty()) parser->parser.load(params.parser);
  } catch (const std::exception& e) {
    return internal_error(std::string("llama.cpp's chat parser could not be loaded: ") + e.what());
  }
  parser->parse_tool_calls = calls;
  out.stream = std::make_unique<ToolCallStream>(std::move(parser));
  return out;
}

Result<std::string> json_schema_grammar(const std::string& schema) {
  std::string grammar;
  try {
    grammar = json_schema_to_grammar(common_json::parse(schema));
  } catch (const std::exception& e) {
    return invalid_argument(std::string("response_format: the schema cannot be made a grammar: ") + e.what());
  }
  if (grammar.size() > kMaxGrammarBytes) {
    return invalid_argument("response_format: the schema's grammar would be over " +
                            std::to_string(kMaxGrammarBytes >> 20) + " MiB; simplify the schema");
  }
  return grammar;
}

}  // namespace maas::backends::gguf
