// Chat requests with tools, through llama.cpp's common library (chat.h): the prompt rendered by the model's own
// jinja chat template with the tools in it, the grammar that constrains the template family's tool-call syntax
// (lazy under "auto": it starts at the family's trigger), and the parser that turns the output back into content
// and OpenAI tool calls as it streams.
//
// Threading: ChatTools is built at load and used by the engine's thread only; a ToolCallStream belongs to one
// sequence. common throws on templates and outputs it cannot handle: nothing here lets an exception out.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "backends/gguf/gguf_model.h"
#include "common/status.h"
#include "llm/generation.h"

struct common_chat_templates;
struct common_chat_parser_params;

namespace maas::backends::gguf {

// What a stream of generated text has become so far: content to send and tool-call pieces.
struct ChatDelta {
  std::string content;
  std::vector<llm::ToolCallDelta> tool_calls;
};

// One sequence's output parsed as it grows (common_chat_parse on the whole text each time, diffed against the last).
class ToolCallStream {
 public:
  explicit ToolCallStream(std::unique_ptr<common_chat_parser_params> params);
  ~ToolCallStream();
  // More generated text; `last`: no more will come (the parse is then strict, and falls back to the partial one).
  ChatDelta push(const std::string& text, bool last);
  bool has_tool_calls() const { return calls_ > 0; }

 private:
  std::unique_ptr<common_chat_parser_params> params_;
  std::string text_;
  struct Message;
  std::unique_ptr<Message> previous_;
  std::vector<std::string> ids_;
  size_t calls_ = 0;
};

// A chat request rendered for tools: the prompt, and what sampling and parsing need.
struct ToolChat {
  std::vector<Token> tokens;  // the prompt
  std::string grammar;        // GBNF of the tool-call syntax; empty when the template family has none
  bool lazy = false;          // the grammar applies from the first trigger on
  std::vector<std::string> trigger_patterns;
  std::vector<Token> trigger_tokens;
  std::vector<Token> grammar_prefill;  // tokens the template already wrote that the grammar starts with
  std::set<Token> preserved;           // special tokens that are part of the syntax: their text is output
  std::vector<std::string> stops;      // the family's extra stop strings
  std::unique_ptr<ToolCallStream> stream;
};

class ChatTools {
 public:
  // The model's chat template as common reads it (ChatML when it has none); a template common cannot parse leaves
  // tool requests refused with the reason.
  explicit ChatTools(const GgufModel& model);
  ~ChatTools();

  // Whether a request goes through here: it offers tools or carries tool calls or tool results.
  static bool wants(const llm::GenerateRequest& request);
  Result<ToolChat> render(const llm::GenerateRequest& request) const;

 private:
  const GgufModel& model_;
  std::unique_ptr<common_chat_templates, void (*)(common_chat_templates*)> templates_;
  std::string init_error_;
};

// The GBNF grammar of a JSON Schema (maasd checked and bounded it: api/json_schema_check.h) by llama.cpp's
// json_schema_to_grammar: properties in the schema's order, required ones first. INVALID_ARGUMENT starting
// "response_format" when the converter refuses it or the grammar is over kMaxGrammarBytes.
Result<std::string> json_schema_grammar(const std::string& schema);

}  // namespace maas::backends::gguf
