#include "api/openai_request.h"

#include "api/json_io.h"
#include "api/json_schema_grammar.h"

namespace maas::api {
namespace {
using nlohmann::json;

constexpr size_t kMaxStops = 4;      // as OpenAI
constexpr size_t kMaxMessages = 4096;
constexpr size_t kMaxEmbedInputs = 2048;

// Reads an optional number field into *out, within [min, max].
Status read_number(const json& body, const char* key, double min, double max, double* out, std::string* param) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return {};
  *param = key;
  if (!it->is_number()) return invalid_argument(std::string("'") + key + "' must be a number");
  double v = it->get<double>();
  if (v < min || v > max) {
    return invalid_argument(std::string("'") + key + "' must be between " + json(min).dump() + " and " + json(max).dump());
  }
  *out = v;
  param->clear();
  return {};
}

Status read_integer(const json& body, const char* key, int64_t min, int64_t max, std::optional<int64_t>* out,
                    std::string* param) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return {};
  *param = key;
  if (!it->is_number_integer()) return invalid_argument(std::string("'") + key + "' must be an integer");
  std::optional<int64_t> v = int64_of(*it);
  if (!v || *v < min || *v > max) {
    return invalid_argument(std::string("'") + key + "' must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  *out = v;
  param->clear();
  return {};
}

// A message's content (null: absent): a string, or an array of {"type": "text", "text": ...} parts, which are joined.
Result<std::string> message_content(const json* content) {
  if (content == nullptr) return std::string();
  if (content->is_string()) return content->get<std::string>();
  if (!content->is_array()) return invalid_argument("a message's 'content' must be a string or an array of text parts");
  std::string text;
  for (const auto& part : *content) {
    const json* type = find_field(part, "type");
    const json* part_text = find_field(part, "text");
    if (type == nullptr || *type != "text" || part_text == nullptr || !part_text->is_string()) {
      return invalid_argument("only text content parts are supported");
    }
    text += part_text->get<std::string>();
  }
  return text;
}

Status read_messages(const json& body, std::vector<llm::ChatMessage>* out, std::string* param) {
  *param = "messages";
  auto it = body.find("messages");
  if (it == body.end()) return invalid_argument("'messages' is required");
  if (!it->is_array() || it->empty()) return invalid_argument("'messages' must be a non-empty array");
  if (it->size() > kMaxMessages) return invalid_argument("at most " + std::to_string(kMaxMessages) + " messages");
  for (const auto& m : *it) {
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string()) {
      return invalid_argument("each message must be an object with a string 'role'");
    }
    std::string role = m["role"].get<std::string>();
    if (role != "system" && role != "user" && role != "assistant" && role != "developer" && role != "tool") {
      return invalid_argument("unknown message role '" + role + "'");
    }
    MAAS_ASSIGN_OR_RETURN(std::string content, message_content(find_field(m, "content")));
    out->push_back({role == "developer" ? "system" : role, std::move(content)});
  }
  param->clear();
  return {};
}

Status read_stop(const json& body, std::vector<std::string>* out, std::string* param) {
  auto it = body.find("stop");
  if (it == body.end() || it->is_null()) return {};
  *param = "stop";
  if (it->is_string()) {
    out->push_back(it->get<std::string>());
  } else if (it->is_array() && it->size() <= kMaxStops) {
    for (const auto& s : *it) {
      if (!s.is_string()) return invalid_argument("'stop' must be a string or an array of strings");
      out->push_back(s.get<std::string>());
    }
  } else {
    return invalid_argument("'stop' must be a string or an array of at most 4 strings");
  }
  param->clear();
  return {};
}

Status read_sampling(const json& body, llm::GenerateRequest* r, std::string* param) {
  llm::SamplingParams& s = r->sampling;
  MAAS_RETURN_IF_ERROR(read_number(body, "temperature", 0, 2, &s.temperature, param));
  MAAS_RETURN_IF_ERROR(read_number(body, "top_p", 0, 1, &s.top_p, param));
  MAAS_RETURN_IF_ERROR(read_number(body, "min_p", 0, 1, &s.min_p, param));
  MAAS_RETURN_IF_ERROR(read_number(body, "frequency_penalty", -2, 2, &s.frequency_penalty, param));
  MAAS_RETURN_IF_ERROR(read_number(body, "presence_penalty", -2, 2, &s.presence_penalty, param));
  MAAS_RETURN_IF_ERROR(read_number(body, "repeat_penalty", 0.01, 10, &s.repeat_penalty, param));
  std::optional<int64_t> v;
  MAAS_RETURN_IF_ERROR(read_integer(body, "top_k", 0, 1 << 20, &v, param));
  if (v) s.top_k = static_cast<int32_t>(*v);
  v.reset();
  MAAS_RETURN_IF_ERROR(read_integer(body, "seed", INT64_MIN, INT64_MAX, &v, param));
  if (v) s.seed = static_cast<uint32_t>(*v);
  v.reset();
  // max_completion_tokens is the newer name; either may be sent.
  MAAS_RETURN_IF_ERROR(read_integer(body, "max_tokens", 1, 1 << 24, &v, param));
  MAAS_RETURN_IF_ERROR(read_integer(body, "max_completion_tokens", 1, 1 << 24, &v, param));
  if (v) r->max_tokens = static_cast<int32_t>(*v);
  v.reset();
  MAAS_RETURN_IF_ERROR(read_integer(body, "n", 1, 1, &v, param));
  return read_stop(body, &r->stop, param);
}

Status read_response_format(const json& body, llm::GenerateRequest* r, std::string* param) {
  auto it = body.find("response_format");
  if (it == body.end() || it->is_null()) return {};
  *param = "response_format";
  // find(), never operator[] on a const object: a missing key there is undefined behaviour (an assertion in debug).
  if (!it->is_object() || !it->contains("type") || !it->at("type").is_string()) {
    return invalid_argument("'response_format' must be an object with a 'type'");
  }
  std::string type = it->at("type").get<std::string>();
  if (type == "json_object") {
    r->grammar = json_object_grammar();
  } else if (type == "json_schema") {
    // {"type": "json_schema", "json_schema": {"name", "schema", "strict"}}
    auto spec = it->find("json_schema");
    if (spec == it->end() || !spec->is_object() || !spec->contains("schema")) {
      return invalid_argument("response_format json_schema needs 'json_schema': {\"name\": ..., \"schema\": {...}}");
    }
    MAAS_ASSIGN_OR_RETURN(r->grammar, json_schema_grammar(spec->at("schema")));
  } else if (type != "text") {
    return invalid_argument("response_format type '" + type + "' is not supported (use 'text', 'json_object' or 'json_schema')");
  }
  param->clear();
  return {};
}

Status read_model(const json& body, std::string* model, std::string* param) {
  auto it = body.find("model");
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) {
    *param = "model";
    return invalid_argument("'model' must name a loaded model");
  }
  *model = it->get<std::string>();
  return {};
}

}  // namespace

Result<CompletionCall> parse_completion_call(const json& body, bool chat, std::string* param) {
  param->clear();
  if (!body.is_object()) return invalid_argument("the body must be a JSON object");
  CompletionCall call;
  MAAS_RETURN_IF_ERROR(read_model(body, &call.model, param));
  if (chat) {
    MAAS_RETURN_IF_ERROR(read_messages(body, &call.request.messages, param));
  } else {
    *param = "prompt";
    const json* prompt = find_field(body, "prompt");
    if (prompt != nullptr && prompt->is_string()) {
      call.request.prompt = prompt->get<std::string>();
    } else if (prompt != nullptr && prompt->is_array() && prompt->size() == 1 && (*prompt)[0].is_string()) {
      call.request.prompt = (*prompt)[0].get<std::string>();
    } else {
      return invalid_argument("'prompt' must be a string (or an array of one string)");
    }
    param->clear();
  }
  MAAS_RETURN_IF_ERROR(read_sampling(body, &call.request, param));
  MAAS_RETURN_IF_ERROR(read_response_format(body, &call.request, param));
  if (auto it = body.find("stream"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) {
      *param = "stream";
      return invalid_argument("'stream' must be true or false");
    }
    call.stream = it->get<bool>();
  }
  if (const json* options = find_field(body, "stream_options")) {
    *param = "stream_options";
    if (!options->is_object()) return invalid_argument("'stream_options' must be an object");
    MAAS_ASSIGN_OR_RETURN(std::optional<bool> include_usage, optional_bool(*options, "include_usage"));
    call.include_usage = include_usage.value_or(false);
    param->clear();
  }
  return call;
}

Result<EmbeddingCall> parse_embedding_call(const json& body, std::string* param) {
  param->clear();
  if (!body.is_object()) return invalid_argument("the body must be a JSON object");
  EmbeddingCall call;
  MAAS_RETURN_IF_ERROR(read_model(body, &call.model, param));
  *param = "input";
  const json* input = find_field(body, "input");
  if (input != nullptr && input->is_string()) {
    call.request.inputs.push_back(input->get<std::string>());
  } else if (input != nullptr && input->is_array() && !input->empty() && input->size() <= kMaxEmbedInputs) {
    for (const auto& s : *input) {
      if (!s.is_string()) return invalid_argument("'input' must be a string or an array of strings");
      call.request.inputs.push_back(s.get<std::string>());
    }
  } else {
    return invalid_argument("'input' must be a string or an array of 1 to 2048 strings");
  }
  *param = "encoding_format";
  const json* format = find_field(body, "encoding_format");
  if (format != nullptr && *format != "float" && *format != "base64") return invalid_argument("'encoding_format' must be 'float' or 'base64'");
  call.base64 = format != nullptr && *format == "base64";
  param->clear();
  return call;
}

const std::string& json_object_grammar() {
  static const std::string kGrammar = R"(root ::= "{" space (member ("," space member)*)? "}" space
member ::= string ":" space value
value ::= object | array | string | number | ("true" | "false" | "null") space
object ::= "{" space (member ("," space member)*)? "}" space
array ::= "[" space (value ("," space value)*)? "]" space
string ::= "\"" ([^"\\\x7F\x00-\x1F] | "\\" ["\\/bfnrt])* "\"" space
number ::= "-"? [0-9]+ ("." [0-9]+)? space
space ::= " "?
)";
  return kGrammar;
}

}  // namespace maas::api
