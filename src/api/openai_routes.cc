#include "api/openai_routes.h"

#include <chrono>
#include <cmath>
#include <functional>

#include "api/openai_error.h"
#include "api/openai_request.h"
#include "api/openai_response.h"
#include "common/base64.h"
#include "common/json_parse.h"
#include "common/names.h"
#include "common/random.h"
#include "llm/llm_runner.h"

namespace maas::api {
namespace {
using http::Request;
using http::Response;
using nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;
using llm::StreamEvent;

struct Context {
  registry::Registry& registry;
  runtime::ModelManager& models;
  gateway::Gateway* gateway;
};

int64_t whole_seconds(double s) { return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(s))); }

// OpenAI's rate-limit headers for a tokens-a-minute bucket (the SDKs and LiteLLM read these).
void add_token_limit_headers(Response& r, const gateway::LimitDecision& d) {
  r.headers.emplace_back("x-ratelimit-limit-tokens", std::to_string(static_cast<int64_t>(d.limit)));
  r.headers.emplace_back("x-ratelimit-remaining-tokens", std::to_string(static_cast<int64_t>(d.remaining)));
  r.headers.emplace_back("x-ratelimit-reset-tokens", std::to_string(whole_seconds(d.reset_seconds)) + "s");
}

// The key's (and the service's) rate limits, token limits and quotas, in OpenAI's error shape (429, which the
// SDKs raise as RateLimitError). Admitted: `admitted` holds the decision, for the response's headers.
std::optional<Response> refuse_over_limit(Context& c, const Request& req, const gateway::ServiceSnapshot* svc,
                                          gateway::Admission* admitted) {
  if (!c.gateway) return std::nullopt;
  *admitted = c.gateway->admit(svc, req.principal.get());
  const auto& a = *admitted;
  if (a.status.ok()) return std::nullopt;
  c.gateway->count_rejection(svc ? svc->spec.name : "", a.reason);
  Response r = openai_error(a.status);
  if (a.limit) {
    r.headers.emplace_back("X-RateLimit-Limit", std::to_string(static_cast<int64_t>(a.limit->limit)));
    r.headers.emplace_back("X-RateLimit-Remaining", std::to_string(static_cast<int64_t>(a.limit->remaining)));
    r.headers.emplace_back("X-RateLimit-Reset", std::to_string(whole_seconds(a.limit->reset_seconds)));
    if (a.llm_tokens) add_token_limit_headers(r, *a.limit);
  }
  r.headers.emplace_back("Retry-After", std::to_string(a.limit ? whole_seconds(a.limit->retry_after_seconds) : 60));
  return r;
}

// Charges a finished generation's tokens to the token limits that admitted it and the key's monthly quota.
std::function<void(int64_t)> token_counter(Context& c, const Request& req,
                                           std::shared_ptr<const gateway::ServiceSnapshot> service) {
  if (!c.gateway) return [](int64_t) {};
  auto who = req.principal;
  gateway::Gateway* gw = c.gateway;
  return [gw, who, service](int64_t tokens) { gw->charge_tokens(service.get(), who.get(), tokens); };
}

void add_admission_headers(Response& r, const gateway::Admission& a) {
  if (a.token_limit) add_token_limit_headers(r, *a.token_limit);
}

void add_version_header(Response& r, const llm::LlmRunner& runner) {
  r.headers.emplace_back("x-maas-model-version", std::to_string(runner.version()));
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A loaded version's generation: INVALID_ARGUMENT, saying which API serves it, for a version without one.
Result<std::shared_ptr<llm::LlmRunner>> generative_runner(runtime::ServedModel& served) {
  if (auto runner = served.as_generative()) return runner;
  return invalid_argument("the model '" + served.model() + "' version " + std::to_string(served.version()) + " (" +
                          served.framework() + ") does not generate text; call it with POST /v2/models/" +
                          served.model() + "/infer");
}

// "name" (the serving version) or "name@alias" / "name@3" -> the loaded LLM runner.
// `service` (when given) is set to the service the name called, if it called one.
Result<std::shared_ptr<llm::LlmRunner>> find_runner(Context& c, const Request& req, const std::string& model,
                                                    std::shared_ptr<const gateway::ServiceSnapshot>* service = nullptr) {
  std::string name = model;
  std::optional<int64_t> version;
  if (auto at = model.find('@'); at != std::string::npos) {
    name = model.substr(0, at);
    MAAS_RETURN_IF_ERROR(validate_name(name, "model"));
    MAAS_ASSIGN_OR_RETURN(int64_t v, c.registry.resolve(name, model.substr(at + 1)));
    version = v;
  } else {
    MAAS_RETURN_IF_ERROR(validate_name(name, "model"));
  }
  if (req.principal && !req.principal->may_invoke(name)) {
    return permission_denied("the key " + req.principal->key_id + " is not granted '" + name + "'");
  }
  if (c.gateway && !version) {
    if (auto svc = c.gateway->find(name)) {
      // A service: its split (override header, sticky header or key, weights) picks the version; its limits are
      // checked with the key's (refuse_over_limit).
      MAAS_RETURN_IF_ERROR(svc->check_body(req.body.size()));
      MAAS_ASSIGN_OR_RETURN(const gateway::LiveRoute* route, svc->route_for(req));
      if (service) *service = svc;
      auto served = c.models.find(route->target.model, route->target.version);
      if (!served) {
        return unavailable("service '" + name + "': " + route->target.model + " version " +
                           std::to_string(route->target.version) + " is not loaded");
      }
      MAAS_ASSIGN_OR_RETURN(auto runner, generative_runner(*served));
      route->stats->record(true, 0);
      return runner;
    }
  }
  auto served = c.models.find(name, version);
  if (!served) {
    return not_found("the model '" + model + "' does not exist or is not loaded; load a GGUF version with "
                     "POST /v2/repository/models/" + name + "/load");
  }
  return generative_runner(*served);
}

Result<json> parse_body(const Request& req) { return parse_json(req.body); }

json usage_json(const llm::Completion& c) {
  return {{"prompt_tokens", c.prompt_tokens},
          {"completion_tokens", c.completion_tokens},
          {"total_tokens", c.prompt_tokens + c.completion_tokens},
          {"prompt_tokens_details", {{"cached_tokens", c.cached_tokens}}}};
}

std::string sse_event(const json& data) { return "data: " + data.dump() + "\n\n"; }

struct CallInfo {
  std::string id;
  std::string object;  // "chat.completion" / "text_completion"
  std::string model;
  int64_t created = 0;
  bool chat = false;
  bool logprobs = false;
  int n = 1;  // choices per prompt: choice i's prompt is i / n
};

json envelope(const CallInfo& info, bool chunk) {
  return {{"id", info.id}, {"object", info.object + (chunk && info.chat ? ".chunk" : "")}, {"created", info.created},
          {"model", info.model}};
}

// A call's choices: one engine stream each, all running in the worker at once.
struct Choices {
  std::vector<std::shared_ptr<llm::Stream>> streams;
  llm::Completion usage;  // summed; a prompt's tokens counted once, not once per choice

  void count(size_t i, const CallInfo& info, const llm::Completion& c) {
    if (i % static_cast<size_t>(info.n) == 0) {
      usage.prompt_tokens += c.prompt_tokens;
      usage.cached_tokens += c.cached_tokens;
    }
    usage.completion_tokens += c.completion_tokens;
  }
};

// Streams the choices as SSE chunks, one choice after the other (the worker generates them together; a later
// choice's events wait in its stream); stops (and so cancels the rest) once the client is gone.
boost::asio::awaitable<void> stream_body(http::ChunkWriter& out, std::shared_ptr<Choices> choices, CallInfo info,
                                         bool include_usage, std::function<void(int64_t)> count_tokens) {
  for (size_t i = 0; i < choices->streams.size(); ++i) {
    ChoiceBuilder builder(static_cast<int>(i), info.chat, info.logprobs);
    if (info.chat) {
      json first = envelope(info, true);
      first["choices"] = json::array({{{"index", i},
                                       {"delta", {{"role", "assistant"}, {"content", ""}}},
                                       {"logprobs", nullptr},
                                       {"finish_reason", nullptr}}});
      if (!co_await out.write(sse_event(first))) co_return;
    }
    for (bool done = false; !done;) {
      StreamEvent event = co_await choices->streams[i]->next();
      if (event.type == StreamEvent::Type::kText) {
        if (event.text.empty() && event.logprobs.empty() && event.tool_calls.empty()) continue;
        json chunk = envelope(info, true);
        chunk["choices"] = json::array({builder.chunk(event.text, event.logprobs, event.tool_calls)});
        if (!co_await out.write(sse_event(chunk))) co_return;
      } else if (event.type == StreamEvent::Type::kDone) {
        choices->count(i, info, event.completion);
        json last = envelope(info, true);
        last["choices"] = json::array({builder.last_chunk(event.completion.finish_reason)});
        if (!co_await out.write(sse_event(last))) co_return;
        done = true;
      } else if (event.type == StreamEvent::Type::kError) {
        // The status line is long sent; OpenAI's streams report a late error as an event with its error body.
        co_await out.write(sse_event(json::parse(openai_error(event.status).body)));
        co_return;
      }
    }
  }
  count_tokens(choices->usage.prompt_tokens + choices->usage.completion_tokens);
  std::string tail;
  if (include_usage) {
    json usage = envelope(info, true);
    usage["choices"] = json::array();
    usage["usage"] = usage_json(choices->usage);
    tail += sse_event(usage);
  }
  tail += "data: [DONE]\n\n";
  co_await out.write(tail);
}

// Every choice whole, in order.
boost::asio::awaitable<Result<json>> whole_choices(Choices& choices, const CallInfo& info) {
  json out = json::array();
  for (size_t i = 0; i < choices.streams.size(); ++i) {
    ChoiceBuilder builder(static_cast<int>(i), info.chat, info.logprobs);
    for (;;) {
      StreamEvent event = co_await choices.streams[i]->next();
      if (event.type == StreamEvent::Type::kText) {
        builder.chunk(event.text, event.logprobs, event.tool_calls);
      } else if (event.type == StreamEvent::Type::kDone) {
        choices.count(i, info, event.completion);
        out.push_back(builder.whole(event.completion.finish_reason));
        break;
      } else if (event.type == StreamEvent::Type::kError) {
        co_return Result<json>(event.status);
      }
    }
  }
  co_return out;
}

// Opens one stream per choice; the worker tokenizes and checks each prompt first, so a prompt that does not fit
// is a 400 before any byte is sent.
boost::asio::awaitable<Result<std::shared_ptr<Choices>>> open_choices(llm::LlmRunner& runner,
                                                                      const CompletionCall& call) {
  auto choices = std::make_shared<Choices>();
  for (const auto& request : choice_requests(call)) {
    auto opened = co_await runner.generate(request);
    if (!opened.ok()) co_return opened.status();
    choices->streams.push_back(std::move(*opened));
  }
  for (auto& stream : choices->streams) {
    StreamEvent first = co_await stream->next();
    if (first.type == StreamEvent::Type::kError) co_return first.status;
  }
  co_return choices;
}

Response call_error(const Status& status, const FieldError& error) {
  Response r = openai_error(status, error.param);
  if (!error.code.empty()) {
    json body = json::parse(r.body);
    body["error"]["code"] = error.code;
    r.body = body.dump();
  }
  return r;
}

Awaitable completion(Context& c, Request& req, bool chat) {
  auto body = parse_body(req);
  if (!body.ok()) co_return openai_error(body.status());
  FieldError field;
  auto call = parse_completion_call(*body, chat, &field, req.body);
  if (!call.ok()) co_return call_error(call.status(), field);
  std::shared_ptr<const gateway::ServiceSnapshot> service;
  auto runner = find_runner(c, req, call->model, &service);
  if (!runner.ok()) co_return openai_error(runner.status(), "model");
  size_t wanted = static_cast<size_t>(call->n) * std::max<size_t>(1, call->prompts.size());
  if (wanted > static_cast<size_t>((*runner)->config().max_choices)) {
    co_return openai_error(invalid_argument("this request asks for " + std::to_string(wanted) +
                                            " choices (n x prompts); this model version serves at most " +
                                            std::to_string((*runner)->config().max_choices) + " (max_choices)"),
                           "n");
  }
  gateway::Admission admitted;
  if (auto refused = refuse_over_limit(c, req, service.get(), &admitted)) co_return std::move(*refused);
  auto count_tokens = token_counter(c, req, service);
  auto opened = co_await open_choices(**runner, *call);
  if (!opened.ok()) {
    // The worker's refusals are about the prompt, except a logit_bias token outside the vocabulary and a
    // response_format schema its converter refuses.
    const std::string& message = opened.status().message();
    const char* param = message.starts_with("logit_bias")        ? "logit_bias"
                        : message.starts_with("response_format") ? "response_format"
                        : chat                                   ? "messages"
                                                                 : "prompt";
    co_return openai_error(opened.status(), param);
  }
  std::shared_ptr<Choices> choices = std::move(*opened);
  CallInfo info{(chat ? "chatcmpl-" : "cmpl-") + random_hex(12),
                chat ? "chat.completion" : "text_completion",
                call->model,
                now_seconds(),
                chat,
                call->request.logprobs >= 0,
                call->n};
  if (call->stream) {
    bool include_usage = call->include_usage;
    auto producer = [choices, info, include_usage,
                     count_tokens](http::ChunkWriter& out) -> boost::asio::awaitable<void> {
      return stream_body(out, choices, info, include_usage, count_tokens);
    };
    Response r = Response::sse(producer);
    add_version_header(r, **runner);
    add_admission_headers(r, admitted);
    co_return r;
  }
  auto whole = co_await whole_choices(*choices, info);
  if (!whole.ok()) co_return openai_error(whole.status());
  json response = envelope(info, false);
  response["choices"] = std::move(*whole);
  response["usage"] = usage_json(choices->usage);
  count_tokens(choices->usage.prompt_tokens + choices->usage.completion_tokens);
  Response r = Response::json(200, response);
  add_version_header(r, **runner);
  add_admission_headers(r, admitted);
  co_return r;
}

json float_vector_base64(const json& vector) {
  std::string bytes;
  bytes.reserve(vector.size() * sizeof(float));
  for (const auto& x : vector) {
    float f = x.get<float>();
    bytes.append(reinterpret_cast<const char*>(&f), sizeof(f));  // little-endian, as OpenAI sends it
  }
  return base64_encode(bytes);
}

// The first `dimensions` components, L2-renormalised (as OpenAI's text-embedding-3 models shorten theirs).
json shortened(const json& vector, size_t dimensions) {
  std::vector<double> v;
  for (size_t i = 0; i < dimensions && i < vector.size(); ++i) v.push_back(vector[i].get<double>());
  double norm = 0;
  for (double x : v) norm += x * x;
  norm = std::sqrt(norm);
  json out = json::array();
  for (double x : v) out.push_back(static_cast<float>(norm > 0 ? x / norm : x));
  return out;
}

Awaitable embeddings(Context& c, Request& req) {
  auto body = parse_body(req);
  if (!body.ok()) co_return openai_error(body.status());
  FieldError field;
  auto call = parse_embedding_call(*body, &field);
  if (!call.ok()) co_return call_error(call.status(), field);
  std::shared_ptr<const gateway::ServiceSnapshot> service;
  auto runner = find_runner(c, req, call->model, &service);
  if (!runner.ok()) co_return openai_error(runner.status(), "model");
  int64_t model_dimensions = (*runner)->info().embedding_length;
  if (call->dimensions && *call->dimensions > model_dimensions) {
    co_return openai_error(invalid_argument("'dimensions' is " + std::to_string(*call->dimensions) +
                                            "; this model's "
                                            "embeddings have " +
                                            std::to_string(model_dimensions)),
                           "dimensions");
  }
  gateway::Admission admitted;
  if (auto refused = refuse_over_limit(c, req, service.get(), &admitted)) co_return std::move(*refused);
  auto opened = co_await (*runner)->embed(call->request);
  if (!opened.ok()) co_return openai_error(opened.status());
  StreamEvent event = co_await (*opened)->next();
  if (event.type != StreamEvent::Type::kEmbeddings) co_return openai_error(event.status, "input");
  json data = json::array();
  for (size_t i = 0; i < event.embeddings.size(); ++i) {
    json v =
        call->dimensions ? shortened(event.embeddings[i], static_cast<size_t>(*call->dimensions)) : event.embeddings[i];
    data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", call->base64 ? float_vector_base64(v) : v}});
  }
  token_counter(c, req, service)(event.tokens);
  Response r = Response::json(200, {{"object", "list"},
                                    {"data", data},
                                    {"model", call->model},
                                    {"usage", {{"prompt_tokens", event.tokens}, {"total_tokens", event.tokens}}}});
  add_version_header(r, **runner);
  add_admission_headers(r, admitted);
  co_return r;
}

json model_json(const runtime::ServedModel& m) {
  return {{"id", m.model()}, {"object", "model"}, {"created", 0}, {"owned_by", "maas"},
          {"version", m.version()}, {"state", runtime::model_state_name(m.state())}};
}

}  // namespace

void add_openai_routes(http::Router& router, registry::Registry& registry, runtime::ModelManager& models,
                       gateway::Gateway* gateway) {
  // Errors raised before a handler runs (limits, authentication, no route) take OpenAI's shape too.
  router.set_error_format("/v1", [](const Status& status) { return openai_error(status); });
  auto c = std::make_shared<Context>(Context{registry, models, gateway});
  auto chat = [c](Request& req) -> Awaitable { return completion(*c, req, true); };
  auto complete = [c](Request& req) -> Awaitable { return completion(*c, req, false); };
  auto embed = [c](Request& req) -> Awaitable { return embeddings(*c, req); };
  using http::Access;
  using http::BodyMode;
  router.add("POST", "/v1/chat/completions", chat, BodyMode::kBuffered, Access::kInvoke);
  router.add("POST", "/v1/completions", complete, BodyMode::kBuffered, Access::kInvoke);
  router.add("POST", "/v1/embeddings", embed, BodyMode::kBuffered, Access::kInvoke);
  router.add("GET", "/v1/models", [c](Request& req) -> Awaitable {
    json data = json::array();
    for (const auto& m : c->models.list()) {
      if (!m->as_generative()) continue;  // /v1 serves the versions that generate
      if (!req.principal || req.principal->may_invoke(m->model())) data.push_back(model_json(*m));
    }
    co_return Response::json(200, {{"object", "list"}, {"data", data}});
  }, BodyMode::kBuffered, Access::kInvoke);
  router.add("GET", "/v1/models/{model}", [c](Request& req) -> Awaitable {
    auto runner = find_runner(*c, req, req.param("model"));
    if (!runner.ok()) co_return openai_error(runner.status(), "model");
    co_return Response::json(200, model_json(**runner));
  }, BodyMode::kBuffered, Access::kInvoke);
}

}  // namespace maas::api
