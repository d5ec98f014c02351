#include "api/openai_request.h"

#include <charconv>
#include <limits>

#include "api/json_io.h"
#include "api/json_schema_check.h"
#include "api/openai_fields.h"
#include "api/openai_tools.h"

namespace maas::api {
namespace {
using nlohmann::json;

constexpr size_t kMaxStops = 4;      // as OpenAI
constexpr size_t kMaxMessages = 4096;
constexpr size_t kMaxPrompts = 2048;     // prompt and input arrays (as OpenAI); prompts x n is bounded by max_choices
constexpr size_t kMaxLogitBias = 1024;   // entries in logit_bias
constexpr int64_t kMaxTopLogprobs = 20;  // as OpenAI's chat API
constexpr int64_t kMaxN = 1024;          // max_choices' own bound; the version's max_choices is the real one

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
    llm::ChatMessage message{role == "developer" ? "system" : role, std::move(content), {}, {}};
    MAAS_RETURN_IF_ERROR(read_message_tool_fields(m, &message));
    out->push_back(std::move(message));
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
  return read_stop(body, &r->stop, param);
}

// {"token id": bias}: ids as decimal strings (JSON keys), biases in [-100, 100].
Status read_logit_bias(const json& body, llm::GenerateRequest* r, std::string* param) {
  const json* bias = find_field(body, "logit_bias");
  if (bias == nullptr) return {};
  *param = "logit_bias";
  if (!bias->is_object()) return invalid_argument("'logit_bias' must be an object of token ids to numbers");
  if (bias->size() > kMaxLogitBias)
    return invalid_argument("'logit_bias' has more than " + std::to_string(kMaxLogitBias) + " entries");
  for (const auto& [key, value] : bias->items()) {
    int64_t id = -1;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
    if (ec != std::errc() || end != key.data() + key.size() || id < 0 || id > std::numeric_limits<int32_t>::max()) {
      return invalid_argument("'logit_bias' keys must be token ids (non-negative integers); '" + key + "' is not");
    }
    if (!value.is_number() || value.get<double>() < -100 || value.get<double>() > 100) {
      return invalid_argument("'logit_bias' values must be numbers between -100 and 100");
    }
    r->logit_bias.emplace_back(static_cast<int32_t>(id), value.get<float>());
  }
  param->clear();
  return {};
}

// Chat: "logprobs": true and "top_logprobs": 0..20; completions: "logprobs": 0..20 (OpenAI allows 5 there).
Status read_logprobs(const json& body, bool chat, llm::GenerateRequest* r, std::string* param) {
  std::optional<int64_t> top;
  if (chat) {
    MAAS_ASSIGN_OR_RETURN(std::optional<bool> on, optional_bool(body, "logprobs"));
    MAAS_RETURN_IF_ERROR(read_integer(body, "top_logprobs", 0, kMaxTopLogprobs, &top, param));
    if (top && !on.value_or(false)) {
      *param = "top_logprobs";
      return invalid_argument("'top_logprobs' needs 'logprobs': true");
    }
    if (on.value_or(false)) r->logprobs = static_cast<int32_t>(top.value_or(0));
    return {};
  }
  MAAS_RETURN_IF_ERROR(read_integer(body, "logprobs", 0, kMaxTopLogprobs, &top, param));
  if (top) r->logprobs = static_cast<int32_t>(*top);
  return {};
}

Status read_choices(const json& body, CompletionCall* call, std::string* param) {
  std::optional<int64_t> n;
  MAAS_RETURN_IF_ERROR(read_integer(body, "n", 1, kMaxN, &n, param));
  call->n = static_cast<int>(n.value_or(1));
  std::optional<int64_t> best_of;
  MAAS_RETURN_IF_ERROR(read_integer(body, "best_of", 1, kMaxN, &best_of, param));
  if (best_of && *best_of != call->n) {
    *param = "best_of";
    return invalid_argument("'best_of' is not supported beyond 'n': send the same value as 'n' or leave it out");
  }
  return {};
}

// A token-id prompt: a non-empty array of integers.
Result<std::vector<int32_t>> token_prompt(const json& tokens) {
  std::vector<int32_t> out;
  for (const auto& t : tokens) {
    std::optional<int64_t> id = t.is_number_integer() ? int64_of(t) : std::nullopt;
    if (!id || *id < 0 || *id > std::numeric_limits<int32_t>::max()) {
      return invalid_argument("token ids must be non-negative integers");
    }
    out.push_back(static_cast<int32_t>(*id));
  }
  if (out.empty()) return invalid_argument("an array of token ids must not be empty");
  return out;
}

// A string, an array of strings, an array of token ids, or an array of arrays of token ids.
Result<std::vector<Prompt>> read_prompts(const json* prompt, const std::string& field) {
  const std::string shape =
      "'" + field + "' must be a string, an array of strings, an array of token ids or an array of them";
  if (prompt == nullptr) return invalid_argument("'" + field + "' is required");
  if (prompt->is_string()) return std::vector<Prompt>{{prompt->get<std::string>(), {}}};
  if (!prompt->is_array() || prompt->empty()) return invalid_argument(shape);
  if (prompt->size() > kMaxPrompts) {
    return invalid_argument("'" + field + "' has more than " + std::to_string(kMaxPrompts) + " entries");
  }
  if ((*prompt)[0].is_number()) {
    MAAS_ASSIGN_OR_RETURN(auto tokens, token_prompt(*prompt));
    return std::vector<Prompt>{{std::nullopt, std::move(tokens)}};
  }
  std::vector<Prompt> out;
  for (const auto& p : *prompt) {
    if (p.is_string()) {
      out.push_back({p.get<std::string>(), {}});
    } else if (p.is_array()) {
      MAAS_ASSIGN_OR_RETURN(auto tokens, token_prompt(p));
      out.push_back({std::nullopt, std::move(tokens)});
    } else {
      return invalid_argument(shape);
    }
  }
  return out;
}

Status read_completion_extras(const json& body, CompletionCall* call, std::string* param) {
  *param = "prompt";
  MAAS_ASSIGN_OR_RETURN(call->prompts, read_prompts(find_field(body, "prompt"), "prompt"));
  *param = "echo";
  MAAS_ASSIGN_OR_RETURN(std::optional<bool> echo, optional_bool(body, "echo"));
  call->request.echo = echo.value_or(false);
  if (call->request.echo && call->request.logprobs >= 0) {
    return invalid_argument("'echo' with 'logprobs' (the prompt's log-probabilities) is not supported");
  }
  *param = "suffix";
  const json* suffix = find_field(body, "suffix");
  if (suffix != nullptr && *suffix != "") return invalid_argument("'suffix' (insertion) is not supported");
  param->clear();
  return {};
}

// The json_schema's schema in the order its keys were sent (the body as parsed has them sorted): from `raw`, the
// body's text, when given.
nlohmann::ordered_json ordered_schema(const json& schema, std::string_view raw) {
  if (!raw.empty()) {
    auto body = nlohmann::ordered_json::parse(raw, nullptr, /*allow_exceptions=*/false);
    if (body.is_object()) {
      auto format = body.find("response_format");
      if (format != body.end() && format->is_object()) {
        auto spec = format->find("json_schema");
        if (spec != format->end() && spec->is_object() && spec->contains("schema")) return spec->at("schema");
      }
    }
  }
  return nlohmann::ordered_json::parse(schema.dump());
}

Status read_response_format(const json& body, std::string_view raw, llm::GenerateRequest* r, std::string* param) {
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
    // The worker converts it (llama.cpp's json_schema_to_grammar); what it would not enforce is a 400 here.
    MAAS_ASSIGN_OR_RETURN(r->json_schema, check_json_schema(ordered_schema(spec->at("schema"), raw)));
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

Result<CompletionCall> parse_completion_call(const json& body, bool chat, FieldError* error, std::string_view raw) {
  *error = {};
  std::string* param = &error->param;
  if (!body.is_object()) return invalid_argument("the body must be a JSON object");
  MAAS_RETURN_IF_ERROR(check_openai_fields(body, chat ? OpenAiEndpoint::kChat : OpenAiEndpoint::kCompletions, error));
  CompletionCall call;
  MAAS_RETURN_IF_ERROR(read_model(body, &call.model, param));
  if (chat) MAAS_RETURN_IF_ERROR(read_messages(body, &call.request.messages, param));
  MAAS_RETURN_IF_ERROR(read_sampling(body, &call.request, param));
  MAAS_RETURN_IF_ERROR(read_logit_bias(body, &call.request, param));
  MAAS_RETURN_IF_ERROR(read_logprobs(body, chat, &call.request, param));
  MAAS_RETURN_IF_ERROR(read_choices(body, &call, param));
  if (!chat) MAAS_RETURN_IF_ERROR(read_completion_extras(body, &call, param));
  MAAS_RETURN_IF_ERROR(read_response_format(body, raw, &call.request, param));
  if (chat) MAAS_RETURN_IF_ERROR(read_tools(body, &call.request.tools, param));
  if (!call.request.tools.tools.empty() && (!call.request.grammar.empty() || !call.request.json_schema.empty())) {
    *param = "response_format";
    return invalid_argument(
        "'response_format' with 'tools' is not supported: the tool-call syntax has its own grammar");
  }
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

Result<EmbeddingCall> parse_embedding_call(const json& body, FieldError* error) {
  *error = {};
  std::string* param = &error->param;
  if (!body.is_object()) return invalid_argument("the body must be a JSON object");
  MAAS_RETURN_IF_ERROR(check_openai_fields(body, OpenAiEndpoint::kEmbeddings, error));
  EmbeddingCall call;
  MAAS_RETURN_IF_ERROR(read_model(body, &call.model, param));
  *param = "input";
  const json* input = find_field(body, "input");
  // The same four shapes as a completion's prompt: text, texts, token ids, arrays of token ids.
  MAAS_ASSIGN_OR_RETURN(std::vector<Prompt> inputs, read_prompts(input, "input"));
  for (auto& p : inputs) {
    if (p.text.has_value() != inputs[0].text.has_value()) {
      return invalid_argument("'input' must be all strings or all token-id arrays");
    }
    if (p.text) {
      call.request.inputs.push_back(std::move(*p.text));
    } else {
      call.request.token_inputs.push_back(std::move(p.tokens));
    }
  }
  std::optional<int64_t> dimensions;
  MAAS_RETURN_IF_ERROR(read_integer(body, "dimensions", 1, 1 << 20, &dimensions, param));
  call.dimensions = dimensions;
  *param = "encoding_format";
  const json* format = find_field(body, "encoding_format");
  if (format != nullptr && *format != "float" && *format != "base64") return invalid_argument("'encoding_format' must be 'float' or 'base64'");
  call.base64 = format != nullptr && *format == "base64";
  param->clear();
  return call;
}

std::vector<llm::GenerateRequest> choice_requests(const CompletionCall& call) {
  std::vector<llm::GenerateRequest> out;
  auto add_choices = [&](const llm::GenerateRequest& base) {
    for (int j = 0; j < call.n; ++j) {
      out.push_back(base);
      if (base.sampling.seed) out.back().sampling.seed = *base.sampling.seed + static_cast<uint32_t>(j);
    }
  };
  if (call.prompts.empty()) add_choices(call.request);
  for (const auto& p : call.prompts) {
    llm::GenerateRequest r = call.request;
    r.prompt = p.text;
    r.prompt_tokens = p.tokens;
    add_choices(r);
  }
  return out;
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
