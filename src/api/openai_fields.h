// The request fields of OpenAI's chat completions, completions and embeddings that maas knows, and what it does
// with each: implemented, accepted because it cannot change an answer (an end-user id), or refused with a 400
// naming it. Nothing is accepted and ignored; docs/LLM.md has the same table. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "api/openai_request.h"
#include "common/status.h"

namespace maas::api {

enum class OpenAiEndpoint { kChat, kCompletions, kEmbeddings };

// INVALID_ARGUMENT for the first field that is refused ("unsupported_parameter") or unknown ("unknown_parameter"),
// with *error naming it.
Status check_openai_fields(const nlohmann::json& body, OpenAiEndpoint endpoint, FieldError* error);

}  // namespace maas::api
