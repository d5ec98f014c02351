#include "api/openai_tools.h"

#include <algorithm>

#include "api/json_io.h"
#include "api/json_schema_check.h"

namespace maas::api {
namespace {
using nlohmann::json;

constexpr size_t kMaxTools = 128;      // as OpenAI
constexpr size_t kMaxToolCalls = 128;  // in one assistant message
constexpr size_t kMaxNameLength = 64;  // as OpenAI: a-z, A-Z, 0-9, underscores and dashes

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// {"type": "function", "function": {"name", "description"?, "parameters"?, "strict"?}}. The tool as the worker gets
// it: `parameters` checked and bounded as a response_format schema is (json_schema_check.h: the grammar the worker
// makes from it must be bounded and enforce what it says), with the default string bounds added.
Result<json> check_tool(const json& tool) {
  const json* type = find_field(tool, "type");
  if (type == nullptr || *type != "function")
    return invalid_argument("each of 'tools' must be {\"type\": \"function\", \"function\": {...}}");
  const json* function = find_field(tool, "function");
  if (function == nullptr || !function->is_object()) return invalid_argument("a tool's 'function' must be an object");
  const json* name = find_field(*function, "name");
  if (name == nullptr || !name->is_string() || !valid_name(name->get<std::string>())) {
    return invalid_argument("a tool's function 'name' must be 1 to 64 letters, digits, underscores or dashes");
  }
  const json* description = find_field(*function, "description");
  if (description != nullptr && !description->is_string())
    return invalid_argument("a tool's 'description' must be a string");
  const json* parameters = find_field(*function, "parameters");
  if (parameters != nullptr && !parameters->is_object()) {
    return invalid_argument("tool '" + name->get<std::string>() + "': 'parameters' must be a JSON schema object");
  }
  const json* strict = find_field(*function, "strict");
  if (strict != nullptr && !strict->is_boolean()) return invalid_argument("a tool's 'strict' must be true or false");
  json out = tool;
  if (parameters != nullptr) {
    auto checked = check_json_schema(nlohmann::ordered_json(*parameters));
    if (!checked.ok()) {
      return invalid_argument("tool '" + name->get<std::string>() + "': 'parameters': " + checked.status().message());
    }
    out["function"]["parameters"] = json::parse(*checked);
  }
  return out;
}

std::string tool_name(const json& tool) { return tool.at("function").at("name").get<std::string>(); }

// "auto" | "none" | "required" | {"type": "function", "function": {"name"}}; *named gets the name of the last.
Status read_tool_choice(const json& choice, std::string* out, std::string* named) {
  if (choice.is_string()) {
    *out = choice.get<std::string>();
    if (*out == "auto" || *out == "none" || *out == "required") return {};
    return invalid_argument(
        "'tool_choice' must be 'auto', 'none', 'required' or {\"type\": \"function\", \"function\": {\"name\": ...}}");
  }
  const json* type = find_field(choice, "type");
  const json* function = type != nullptr && *type == "function" ? find_field(choice, "function") : nullptr;
  const json* name = function != nullptr ? find_field(*function, "name") : nullptr;
  if (name == nullptr || !name->is_string()) {
    return invalid_argument(
        "'tool_choice' must be 'auto', 'none', 'required' or {\"type\": \"function\", \"function\": {\"name\": ...}}");
  }
  *out = "required";
  *named = name->get<std::string>();
  return {};
}

}  // namespace

Status read_tools(const json& body, llm::ToolSpec* out, std::string* param) {
  const json* tools = find_field(body, "tools");
  const json* choice = find_field(body, "tool_choice");
  *param = "tools";
  if (tools != nullptr) {
    if (!tools->is_array() || tools->size() > kMaxTools) {
      return invalid_argument("'tools' must be an array of at most " + std::to_string(kMaxTools) + " tools");
    }
    json checked = json::array();
    for (const auto& tool : *tools) {
      MAAS_ASSIGN_OR_RETURN(json one, check_tool(tool));
      checked.push_back(std::move(one));
    }
    for (size_t i = 0; i < tools->size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (tool_name((*tools)[i]) == tool_name((*tools)[j])) {
          return invalid_argument("two tools are named '" + tool_name((*tools)[i]) + "'");
        }
      }
    }
    out->tools = std::move(checked);
  }
  *param = "parallel_tool_calls";
  MAAS_ASSIGN_OR_RETURN(std::optional<bool> parallel, optional_bool(body, "parallel_tool_calls"));
  out->parallel = parallel.value_or(true);
  if (choice == nullptr) {
    param->clear();
    return {};
  }
  *param = "tool_choice";
  std::string named;
  MAAS_RETURN_IF_ERROR(read_tool_choice(*choice, &out->choice, &named));
  if (out->tools.empty() && out->choice != "none") return invalid_argument("'tool_choice' needs 'tools'");
  if (!named.empty()) {
    // A named choice is "required" over that one tool: the template family's grammar then allows only its calls.
    json only = json::array();
    for (const auto& tool : out->tools) {
      if (tool_name(tool) == named) only.push_back(tool);
    }
    if (only.empty()) return invalid_argument("'tool_choice' names '" + named + "', which is not one of 'tools'");
    out->tools = std::move(only);
  }
  param->clear();
  return {};
}

Status read_message_tool_fields(const json& message, llm::ChatMessage* out) {
  const json* calls = find_field(message, "tool_calls");
  if (calls != nullptr) {
    if (out->role != "assistant") return invalid_argument("only assistant messages carry 'tool_calls'");
    if (!calls->is_array() || calls->size() > kMaxToolCalls) {
      return invalid_argument("a message's 'tool_calls' must be an array of at most " + std::to_string(kMaxToolCalls));
    }
    for (const auto& call : *calls) {
      const json* type = find_field(call, "type");
      const json* id = find_field(call, "id");
      const json* function = find_field(call, "function");
      const json* name = function != nullptr ? find_field(*function, "name") : nullptr;
      const json* arguments = function != nullptr ? find_field(*function, "arguments") : nullptr;
      if ((type != nullptr && *type != "function") || id == nullptr || !id->is_string() || name == nullptr ||
          !name->is_string() || arguments == nullptr || !arguments->is_string()) {
        return invalid_argument(
            "each of a message's 'tool_calls' must be {\"id\", \"type\": \"function\", \"function\": {\"name\", "
            "\"arguments\" (a JSON string)}}");
      }
      out->tool_calls.push_back({id->get<std::string>(), name->get<std::string>(), arguments->get<std::string>()});
    }
  }
  if (out->role == "tool") {
    const json* id = find_field(message, "tool_call_id");
    if (id == nullptr || !id->is_string())
      return invalid_argument("a tool message needs the 'tool_call_id' it answers");
    out->tool_call_id = id->get<std::string>();
  }
  return {};
}

}  // namespace maas::api
