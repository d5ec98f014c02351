#include "llm/generation.h"

#include <gtest/gtest.h>

namespace maas::llm {
namespace {

TEST(GenerateRequest, RoundTripsThroughJson) {
  GenerateRequest r;
  r.messages = {{"system", "be brief", {}, {}}, {"user", "hi", {}, {}}};
  r.sampling.temperature = 0;
  r.sampling.seed = 7;
  r.sampling.top_k = 40;
  r.max_tokens = 12;
  r.stop = {"\n\n"};
  auto back = generate_request_from_json(to_json(r));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->messages.size(), 2u);
  EXPECT_EQ(back->messages[1].content, "hi");
  EXPECT_EQ(back->sampling.seed, 7u);
  EXPECT_EQ(back->sampling.top_k, 40);
  EXPECT_EQ(back->max_tokens, 12);
  EXPECT_EQ(back->stop, std::vector<std::string>{"\n\n"});
  EXPECT_FALSE(back->prompt.has_value());
}

TEST(GenerateRequest, CarriesToolsToolCallsAndToolResults) {
  GenerateRequest r;
  r.messages = {{"user", "weather?", {}, {}},
                {"assistant", "", {{"call_1", "get_weather", R"({"city":"Paris"})"}}, {}},
                {"tool", "sunny", {}, "call_1"}};
  r.tools.tools = nlohmann::json::array({{{"type", "function"}, {"function", {{"name", "get_weather"}}}}});
  r.tools.choice = "required";
  r.tools.parallel = false;
  auto back = generate_request_from_json(to_json(r));
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->messages[1].tool_calls.size(), 1u);
  EXPECT_EQ(back->messages[1].tool_calls[0].id, "call_1");
  EXPECT_EQ(back->messages[1].tool_calls[0].name, "get_weather");
  EXPECT_EQ(back->messages[1].tool_calls[0].arguments, R"({"city":"Paris"})");
  EXPECT_EQ(back->messages[2].tool_call_id, "call_1");
  EXPECT_EQ(back->tools.tools, r.tools.tools);
  EXPECT_EQ(back->tools.choice, "required");
  EXPECT_FALSE(back->tools.parallel);
}

TEST(ToolCallDeltas, RoundTripThroughJson) {
  std::vector<ToolCallDelta> deltas = {{0, "call_1", "f", "{\"a\""}, {0, "", "", ": 1}"}};
  auto back = tool_call_deltas_from_json(to_json(deltas));
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[0].name, "f");
  EXPECT_EQ((*back)[1].arguments, ": 1}");
  EXPECT_FALSE(tool_call_deltas_from_json(nlohmann::json{{"index", "x"}}).ok());
}

TEST(GenerateRequest, NeedsExactlyAPromptOrMessages) {
  EXPECT_FALSE(generate_request_from_json({{"sampling", nlohmann::json::object()}}).ok());
  EXPECT_FALSE(generate_request_from_json({{"prompt", "x"}, {"messages", {{{"role", "user"}, {"content", "y"}}}}}).ok());
  EXPECT_FALSE(generate_request_from_json({{"prompt", 3}}).ok());
  EXPECT_TRUE(generate_request_from_json({{"prompt", "x"}}).ok());
}

TEST(GenerateRequest, CarriesTokenPromptsLogitBiasLogprobsAndEcho) {
  GenerateRequest r;
  r.prompt_tokens = {1, 450, 3186};
  r.logit_bias = {{12, -100.0f}, {7, 2.5f}};
  r.logprobs = 3;
  r.echo = true;
  auto back = generate_request_from_json(to_json(r));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->prompt_tokens, r.prompt_tokens);
  EXPECT_EQ(back->logit_bias, r.logit_bias);
  EXPECT_EQ(back->logprobs, 3);
  EXPECT_TRUE(back->echo);
  GenerateRequest plain;
  plain.prompt = "x";
  EXPECT_EQ(generate_request_from_json(to_json(plain))->logprobs, -1);
}

TEST(TokenLogprob, RoundTripsBytesThatAreNotUtf8) {
  std::vector<TokenLogprob> l = {{{7, "\xE2\x82", -0.5}, {{7, "\xE2\x82", -0.5}, {9, "ab", -1.25}}}};
  auto back = token_logprobs_from_json(nlohmann::json::parse(to_json(l).dump()));
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0].chosen.bytes, "\xE2\x82");
  EXPECT_EQ((*back)[0].top[1].id, 9);
  EXPECT_EQ((*back)[0].top[1].logprob, -1.25);
  EXPECT_FALSE(token_logprobs_from_json({{{"id", 1}}}).ok());
}

TEST(Completion, RoundTripsThroughJson) {
  Completion c{"length", 10, 5, 3};
  Completion back = completion_from_json(to_json(c));
  EXPECT_EQ(back.finish_reason, "length");
  EXPECT_EQ(back.prompt_tokens, 10);
  EXPECT_EQ(back.completion_tokens, 5);
  EXPECT_EQ(back.cached_tokens, 3);
}

}  // namespace
}  // namespace maas::llm
