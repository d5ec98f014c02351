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
  std::string param;
  auto call = parse_completion_call(body, true, &param);
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
      {{{"n", 3}}, "n"},
      {{{"stop", {"a", "b", "c", "d", "e"}}}, "stop"},
      {{{"model", 1}}, "model"},
      {{{"response_format", {{"type", "json_schema"}}}}, "response_format"},
  };
  for (const auto& c : cases) {
    json body = chat_body();
    body.update(c.patch);
    std::string param;
    auto call = parse_completion_call(body, true, &param);
    EXPECT_FALSE(call.ok()) << c.patch.dump();
    EXPECT_EQ(call.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(param, c.param) << c.patch.dump();
  }
}

TEST(OpenAiRequest, ReadsACompletionCallAndJsonMode) {
  std::string param;
  auto call = parse_completion_call({{"model", "m"}, {"prompt", {"once"}}, {"response_format", {{"type", "json_object"}}}},
                                    false, &param);
  ASSERT_TRUE(call.ok()) << call.status().message();
  EXPECT_EQ(call->request.prompt, "once");
  EXPECT_EQ(call->request.grammar, json_object_grammar());
  EXPECT_FALSE(parse_completion_call({{"model", "m"}, {"prompt", {"a", "b"}}}, false, &param).ok());
  EXPECT_EQ(param, "prompt");
}

TEST(OpenAiRequest, ReadsAnEmbeddingCall) {
  std::string param;
  auto call = parse_embedding_call({{"model", "m"}, {"input", {"a", "b"}}, {"encoding_format", "base64"}}, &param);
  ASSERT_TRUE(call.ok());
  EXPECT_EQ(call->request.inputs.size(), 2u);
  EXPECT_TRUE(call->base64);
  EXPECT_FALSE(parse_embedding_call({{"model", "m"}, {"input", {1, 2}}}, &param).ok());
  EXPECT_EQ(param, "input");
  EXPECT_FALSE(parse_embedding_call({{"model", "m"}, {"input", "a"}, {"encoding_format", "int8"}}, &param).ok());
  EXPECT_EQ(param, "encoding_format");
}

}  // namespace
}  // namespace maas::api
