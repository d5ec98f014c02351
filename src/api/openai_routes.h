// OpenAI's API for the loaded GGUF models: POST /v1/chat/completions and /v1/completions (streamed as Server-Sent
// Events or whole), POST /v1/embeddings, GET /v1/models[/{model}]. Errors in OpenAI's shape
// {"error": {"message", "type", "param", "code"}}. A streaming client that goes away cancels its generation.
#pragma once

#include "gateway/gateway.h"

#include "http/router.h"
#include "registry/registry.h"
#include "runtime/model_manager.h"

namespace maas::api {

// Everything passed must outlive the router.
// With `gateway`, calls pass the key's quotas and rate limit, and count their tokens.
void add_openai_routes(http::Router& router, registry::Registry& registry, runtime::ModelManager& models,
                       gateway::Gateway* gateway);

}  // namespace maas::api
