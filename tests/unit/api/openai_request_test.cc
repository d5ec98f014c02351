#include "api/openai_request.h"

#include <gtest/gtest.h>

namespace maas::api {
namespace {
using nlohmann::json;

json chat_body() { return {{"model", "m"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}}; }

TEST(OpenAiRequest, ReadsAChatCall) {
  json body = chat_body();
  body["temperature"] = 0;
  body["max_completion_tokens"] = 9;
  body["stop"] = "END";
  body["stream"] = true;
  body["stream_options"] = {{"include_usage", true}};
  body["messages"].push_back({{"role", "developer"}, {"content", {{{"type", "text"}, {"text", "a"}}, {{"type", "text"}, {"text", "b"}}}}});
  FieldError error;
  auto call = parse_completion_call(body, true, &error);
  ASSERT_TRUE(call.ok()) << call.status().message();
  EXPECT_EQ(call->model, "m");
  EXPECT_EQ(call->request.sampling.temperature, 0);
  EXPECT_EQ(call->request.max_tokens, 9);
  EXPECT_EQ(call->request.stop, std::vector<std::string>{"END"});
  EXPECT_TRUE(call->stream);
  EXPECT_TRUE(call->include_usage);
  ASSERT_EQ(call->request.messages.size(), 2u);
  EXPECT_EQ(call->request.messages[1].role, "system");  // developer messages are system messages
  EXPECT_EQ(call->request.messages[1].content, "ab");
}

TEST(OpenAiRequest, NamesTheFieldThatIsWrong) {
  struct Case {
    json patch;
    std::string param;
  };
  const Case cases[] = {
      {{{"messages", json::array()}}, "messages"},
      {{{"temperature", 3}}, "temperature"},
      {{{"top_p", "x"}}, "top_p"},
      {{{"max_tokens", 0}}, "max_tokens"},
      {{{"n", 0}}, "n"},
      {{{"logit_bias", {{"x", 1}}}}, "logit_bias"},
      {{{"logit_bias", {{"5", 101}}}}, "logit_bias"},
      {{{"top_logprobs", 2}}, "top_logprobs"},  // without logprobs: true
      {{{"logprobs", true}, {"top_logprobs", 21}}, "top_logprobs"},
      {{{"stop", {"a", "b", "c", "d", "e"}}}, "stop"},
      {{{"model", 1}}, "model"},
      {{{"response_format", {{"type", "json_schema"}}}}, "response_format"},
  };
  for (const auto& c : cases) {
    json body = chat_body();
    body.update(c.patch);
    FieldError error;
    auto call = parse_completion_call(body, true, &error);
    EXPECT_FALSE(call.ok()) << c.patch.dump();
    EXPECT_EQ(call.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(error.param, c.param) << c.patch.dump();
  }
}

TEST(OpenAiRequest, ReadsACompletionCallAndJsonMode) {
  FieldError error;
  auto call = parse_completion_call(
      {{"model", "m"}, {"prompt", {"once"}}, {"response_format", {{"type", "json_object"}}}}, false, &error);
  ASSERT_TRUE(call.ok()) << call.status().message();
  ASSERT_EQ(call->prompts.size(), 1u);
  EXPECT_EQ(call->prompts[0].text, "once");
  EXPECT_EQ(call->request.grammar, json_object_grammar());
  EXPECT_FALSE(parse_completion_call({{"model", "m"}, {"prompt", {"a", 1}}}, false, &error).ok());
  EXPECT_EQ(error.param, "prompt");
  EXPECT_FALSE(parse_completion_call({{"model", "m"}, {"prompt", json::array()}}, false, &error).ok());
  EXPECT_EQ(error.param, "prompt");
}

TEST(OpenAiRequest, ReadsAnEmbeddingCall) {
  FieldError error;
  auto call = parse_embedding_call({{"model", "m"}, {"input", {"a", "b"}}, {"encoding_format", "base64"}}, &error);
  ASSERT_TRUE(call.ok());
  EXPECT_EQ(call->request.inputs.size(), 2u);
  EXPECT_TRUE(call->base64);
  EXPECT_FALSE(parse_embedding_call({{"model", "m"}, {"input", {1.5, 2}}}, &error).ok());
  EXPECT_EQ(error.param, "input");
  EXPECT_FALSE(parse_embedding_call({{"model", "m"}, {"input", "a"}, {"encoding_format", "int8"}}, &error).ok());
  EXPECT_EQ(error.param, "encoding_format");
}

TEST(OpenAiRequest, ExpandsPromptArraysAndNIntoChoicesInOpenAisOrder) {
  FieldError error;
  auto call = parse_completion_call(
      {{"model", "m"}, {"prompt", {"a", "b"}}, {"n", 2}, {"seed", 7}, {"logprobs", 3}, {"logit_bias", {{"12", -100}}}},
      false, &error);
  ASSERT_TRUE(call.ok()) << call.status().message();
  auto requests = choice_requests(*call);
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].prompt, "a");
  EXPECT_EQ(requests[1].prompt, "a");
  EXPECT_EQ(requests[2].prompt, "b");
  EXPECT_EQ(requests[0].sampling.seed, 7u);
  EXPECT_EQ(requests[1].sampling.seed, 8u);  // choice j samples with seed + j
  EXPECT_EQ(requests[2].sampling.seed, 7u);
  EXPECT_EQ(requests[3].logprobs, 3);
  ASSERT_EQ(requests[3].logit_bias.size(), 1u);
  EXPECT_EQ(requests[3].logit_bias[0], (std::pair<int32_t, float>{12, -100.0f}));
}

TEST(OpenAiRequest, ReadsTokenIdPrompts) {
  FieldError error;
  auto one = parse_completion_call({{"model", "m"}, {"prompt", {1, 2, 3}}}, false, &error);
  ASSERT_TRUE(one.ok()) << one.status().message();
  ASSERT_EQ(one->prompts.size(), 1u);
  EXPECT_EQ(one->prompts[0].tokens, (std::vector<int32_t>{1, 2, 3}));
  EXPECT_FALSE(one->prompts[0].text.has_value());
  auto two = parse_completion_call({{"model", "m"}, {"prompt", {{1, 2}, {3}}}}, false, &error);
  ASSERT_TRUE(two.ok()) << two.status().message();
  EXPECT_EQ(two->prompts.size(), 2u);
  EXPECT_FALSE(parse_completion_call({{"model", "m"}, {"prompt", {-1}}}, false, &error).ok());
}

TEST(OpenAiRequest, RefusesWhatItDoesNotDoNamingTheField) {
  struct Case {
    json patch;
    bool chat;
    std::string param;
    std::string code;
  };
  const Case cases[] = {
      {{{"tools", json::array({{{"type", "function"}}})}}, true, "tools", ""},
      {{{"tool_choice", "required"}}, true, "tool_choice", ""},
      {{{"functions", json::array()}}, true, "functions", "unsupported_parameter"},
      {{{"audio", json::object()}}, true, "audio", "unsupported_parameter"},
      {{{"store", true}}, true, "store", "unsupported_parameter"},
      {{{"modalities", {"text", "audio"}}}, true, "modalities", "unsupported_parameter"},
      {{{"frobnicate", 1}}, true, "frobnicate", "unknown_parameter"},
      {{{"suffix", "end"}, {"prompt", "x"}}, false, "suffix", ""},
      {{{"best_of", 3}, {"prompt", "x"}}, false, "best_of", ""},
      {{{"echo", true}, {"logprobs", 1}, {"prompt", "x"}}, false, "echo", ""},
  };
  for (const auto& c : cases) {
    json body = c.chat ? chat_body() : json{{"model", "m"}};
    body.update(c.patch);
    FieldError error;
    auto call = parse_completion_call(body, c.chat, &error);
    EXPECT_FALSE(call.ok()) << c.patch.dump();
    EXPECT_EQ(error.param, c.param) << c.patch.dump();
    EXPECT_EQ(error.code, c.code) << c.patch.dump();
  }
  // Identifiers that cannot change an answer, and nulls (the SDKs' "not sent"), are fine.
  json body = chat_body();
  body.update({{"user", "u"}, {"tools", nullptr}, {"store", false}, {"service_tier", "auto"}});
  FieldError error;
  EXPECT_TRUE(parse_completion_call(body, true, &error).ok()) << error.param;
}

TEST(OpenAiRequest, ReadsToolsAndANamedChoiceKeepsThatToolRequired) {
  auto tool = [](const std::string& name) {
    return json{{"type", "function"}, {"function", {{"name", name}, {"parameters", {{"type", "object"}}}}}};
  };
  json body = chat_body();
  body["tools"] = {tool("a"), tool("b")};
  FieldError error;
  auto call = parse_completion_call(body, true, &error);
  ASSERT_TRUE(call.ok()) << call.status().message();
  EXPECT_EQ(call->request.tools.tools.size(), 2u);
  EXPECT_EQ(call->request.tools.choice, "auto");
  EXPECT_TRUE(call->request.tools.parallel);

  body["tool_choice"] = {{"type", "function"}, {"function", {{"name", "b"}}}};
  body["parallel_tool_calls"] = false;
  call = parse_completion_call(body, true, &error);
  ASSERT_TRUE(call.ok()) << call.status().message();
  ASSERT_EQ(call->request.tools.tools.size(), 1u);
  EXPECT_EQ(call->request.tools.tools[0]["function"]["name"], "b");
  EXPECT_EQ(call->request.tools.choice, "required");
  EXPECT_FALSE(call->request.tools.parallel);
}

TEST(OpenAiRequest, ReadsToolCallsAndToolResultsInMessages) {
  json body = chat_body();
  body["messages"] = {
      {{"role", "user"}, {"content", "weather?"}},
      {{"role", "assistant"},
       {"content", nullptr},
       {"tool_calls",
        {{{"id", "call_1"}, {"type", "function"}, {"function", {{"name", "get_weather"}, {"arguments", "{}"}}}}}}},
      {{"role", "tool"}, {"tool_call_id", "call_1"}, {"content", "sunny"}}};
  FieldError error;
  auto call = parse_completion_call(body, true, &error);
  ASSERT_TRUE(call.ok()) << call.status().message();
  const auto& m = call->request.messages;
  ASSERT_EQ(m.size(), 3u);
  ASSERT_EQ(m[1].tool_calls.size(), 1u);
  EXPECT_EQ(m[1].tool_calls[0].name, "get_weather");
  EXPECT_EQ(m[2].tool_call_id, "call_1");
  EXPECT_EQ(m[2].content, "sunny");

  body["messages"][2].erase("tool_call_id");
  EXPECT_FALSE(parse_completion_call(body, true, &error).ok());
  EXPECT_EQ(error.param, "messages");
  body["messages"][2]["tool_call_id"] = "call_1";
  body["messages"][0]["tool_calls"] = json::array();  // only assistants call tools
  EXPECT_FALSE(parse_completion_call(body, true, &error).ok());
}

TEST(OpenAiRequest, ReadsEmbeddingTokenInputsAndDimensions) {
  FieldError error;
  auto call = parse_embedding_call({{"model", "m"}, {"input", {{1, 2}, {3}}}, {"dimensions", 16}}, &error);
  ASSERT_TRUE(call.ok()) << call.status().message();
  EXPECT_EQ(call->request.token_inputs.size(), 2u);
  EXPECT_TRUE(call->request.inputs.empty());
  EXPECT_EQ(call->dimensions, 16);
  EXPECT_FALSE(parse_embedding_call({{"model", "m"}, {"input", "a"}, {"dimensions", 0}}, &error).ok());
  EXPECT_EQ(error.param, "dimensions");
}

}  // namespace
}  // namespace maas::api
