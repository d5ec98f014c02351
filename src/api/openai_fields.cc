#include "api/openai_fields.h"

#include <span>
#include <string>
#include <string_view>

namespace maas::api {
namespace {
using nlohmann::json;

enum class Support {
  kImplemented,
  kNoEffect,  // an identifier or hint that cannot change the answer (documented per field)
  kRefused,
};

struct Field {
  std::string_view name;
  Support support;
  std::string_view why = {};  // kRefused: the message's end
};

constexpr std::string_view kLegacyTools = "the deprecated function calling; use 'tools' and 'tool_choice'";

// Both completion endpoints' fields (openai-node's ChatCompletionCreateParamsBase and CompletionCreateParamsBase)
// and maas's sampling extras (top_k, min_p, repeat_penalty).
constexpr Field kGenerationFields[] = {
    {"model", Support::kImplemented},
    {"frequency_penalty", Support::kImplemented},
    {"presence_penalty", Support::kImplemented},
    {"logit_bias", Support::kImplemented},
    {"logprobs", Support::kImplemented},
    {"max_tokens", Support::kImplemented},
    {"max_completion_tokens", Support::kImplemented},
    {"n", Support::kImplemented},
    {"response_format", Support::kImplemented},
    {"seed", Support::kImplemented},
    {"stop", Support::kImplemented},
    {"stream", Support::kImplemented},
    {"stream_options", Support::kImplemented},
    {"temperature", Support::kImplemented},
    {"top_p", Support::kImplemented},
    {"top_k", Support::kImplemented},
    {"min_p", Support::kImplemented},
    {"repeat_penalty", Support::kImplemented},
    {"user", Support::kNoEffect},
};

constexpr Field kChatFields[] = {
    {"messages", Support::kImplemented},
    {"top_logprobs", Support::kImplemented},
    {"safety_identifier", Support::kNoEffect},
    {"prompt_cache_key", Support::kNoEffect},
    {"metadata", Support::kNoEffect},
    {"store", Support::kImplemented},         // false only (check_chat_values)
    {"service_tier", Support::kImplemented},  // "auto" / "default" only
    {"modalities", Support::kImplemented},    // ["text"] only
    {"tools", Support::kImplemented},
    {"tool_choice", Support::kImplemented},
    {"parallel_tool_calls", Support::kImplemented},
    {"functions", Support::kRefused, kLegacyTools},
    {"function_call", Support::kRefused, kLegacyTools},
    {"audio", Support::kRefused, "audio output is not supported"},
    {"prediction", Support::kRefused, "predicted outputs are not supported"},
    {"reasoning_effort", Support::kRefused, "the served models have no reasoning effort setting"},
    {"verbosity", Support::kRefused, "the served models have no verbosity setting"},
    {"web_search_options", Support::kRefused, "web search is not supported"},
    {"prompt_cache_retention", Support::kRefused,
     "prompt caching is automatic and lasts while a slot keeps the prompt; its retention cannot be set"},
};

constexpr Field kCompletionFields[] = {
    {"prompt", Support::kImplemented},
    {"best_of", Support::kImplemented},  // equal to n only (checked in the parser)
    {"echo", Support::kImplemented},
    {"suffix", Support::kImplemented},  // null or "" only (checked in the parser)
};

constexpr Field kEmbeddingFields[] = {
    {"model", Support::kImplemented},           {"input", Support::kImplemented}, {"dimensions", Support::kImplemented},
    {"encoding_format", Support::kImplemented}, {"user", Support::kNoEffect},
};

Status refuse(FieldError* error, const std::string& field, const char* code, const std::string& message) {
  error->param = field;
  error->code = code;
  return invalid_argument(message);
}

// The chat fields whose every value but one is a feature maas does not have.
Status check_chat_values(const json& body, FieldError* error) {
  if (auto it = body.find("store"); it != body.end() && !it->is_null() && *it != false) {
    return refuse(error, "store", "unsupported_parameter", "'store': maas does not store completions (send false)");
  }
  if (auto it = body.find("service_tier"); it != body.end() && !it->is_null() && *it != "auto" && *it != "default") {
    return refuse(error, "service_tier", "unsupported_parameter",
                  "'service_tier': maas has one tier; send 'auto' or 'default'");
  }
  if (auto it = body.find("modalities"); it != body.end() && !it->is_null() && *it != json::array({"text"})) {
    return refuse(error, "modalities", "unsupported_parameter", "'modalities': only [\"text\"] is supported");
  }
  return {};
}

}  // namespace

Status check_openai_fields(const json& body, OpenAiEndpoint endpoint, FieldError* error) {
  if (!body.is_object()) return {};
  std::span<const Field> shared =
      endpoint == OpenAiEndpoint::kEmbeddings ? std::span<const Field>() : kGenerationFields;
  std::span<const Field> own = endpoint == OpenAiEndpoint::kChat          ? std::span<const Field>(kChatFields)
                               : endpoint == OpenAiEndpoint::kCompletions ? std::span<const Field>(kCompletionFields)
                                                                          : std::span<const Field>(kEmbeddingFields);
  for (const auto& [key, value] : body.items()) {
    const Field* known = nullptr;
    for (auto fields : {shared, own}) {
      for (const auto& f : fields) {
        if (f.name == key) known = &f;
      }
    }
    if (known == nullptr) {
      return refuse(error, key, "unknown_parameter", "unrecognized request argument '" + key + "'");
    }
    // A null is the SDKs' way of not sending a field.
    if (known->support == Support::kRefused && !value.is_null()) {
      return refuse(error, key, "unsupported_parameter", "'" + key + "' is not supported: " + std::string(known->why));
    }
  }
  if (endpoint == OpenAiEndpoint::kChat) return check_chat_values(body, error);
  return {};
}

}  // namespace maas::api
