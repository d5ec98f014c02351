// Tool calling's request fields (tools, tool_choice, parallel_tool_calls) and the tool parts of chat messages
// (an assistant's tool_calls, a tool message's tool_call_id), checked at the edge. The worker renders them with the
// model's chat template and parses the calls back (backends/gguf/chat_tools.h); maasd only checks shapes. Pure JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "llm/generation.h"

namespace maas::api {

// Reads tools / tool_choice / parallel_tool_calls into *out; a named tool_choice leaves that one tool, required.
// On error *param names the field.
Status read_tools(const nlohmann::json& body, llm::ToolSpec* out, std::string* param);

// An assistant message's tool_calls and a tool message's tool_call_id, into *out (whose role is set).
Status read_message_tool_fields(const nlohmann::json& message, llm::ChatMessage* out);

}  // namespace maas::api
