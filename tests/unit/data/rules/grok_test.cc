#include "data/rules/grok.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

namespace maas::data::rules {
namespace {

constexpr size_t kMax = 1 << 20;

TEST(Grok, CompilesFieldsIntoNamedGroups) {
  auto g = compile_grok("%{IP:client} %{NUMBER:bytes:int}", {}, kMax);
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_EQ(g->fields.size(), 2u);
  EXPECT_EQ(g->fields[0].name, "client");
  EXPECT_EQ(g->fields[1].type, "int");
  RE2 re(g->regex);
  ASSERT_TRUE(re.ok()) << re.error();
  std::string client, bytes;
  EXPECT_TRUE(RE2::FullMatch("10.0.0.7 512", re, &client, &bytes));
  EXPECT_EQ(client, "10.0.0.7");
  EXPECT_TRUE(RE2::FullMatch("2001:db8::1 512", re, &client, &bytes));
  EXPECT_EQ(client, "2001:db8::1");
}

TEST(Grok, EveryLibraryPatternCompilesInRe2) {
  for (const auto& [name, body] : grok_library()) {
    auto g = compile_grok("%{" + name + "}", {}, kMax);
    ASSERT_TRUE(g.ok()) << name << ": " << g.status().message();
    RE2 re(g->regex);
    EXPECT_TRUE(re.ok()) << name << ": " << re.error();
  }
}

TEST(Grok, LibraryPatternsMatchWhatTheirNamesSay) {
  auto full = [](const std::string& pattern, const std::string& text) {
    auto g = compile_grok(pattern, {}, kMax);
    return g.ok() && RE2::FullMatch(text, RE2(g->regex));
  };
  EXPECT_TRUE(full("%{TIMESTAMP_ISO8601}", "2026-12-07T10:59:58.123+01:00"));
  EXPECT_TRUE(full("%{HTTPDATE}", "10/Oct/2000:13:55:36 -0700"));
  EXPECT_TRUE(full("%{SYSLOGTIMESTAMP}", "Jun  3 07:05:09"));
  EXPECT_TRUE(full("%{UUID}", "123e4567-e89b-12d3-a456-426614174000"));
  EXPECT_TRUE(full("%{LOGLEVEL}", "WARNING"));
  EXPECT_TRUE(full("%{URIPATHPARAM}", "/a/b.html?x=1&y=2"));
  EXPECT_TRUE(full("%{QUOTEDSTRING}", R"("say \"hi\"")"));
  EXPECT_FALSE(full("%{IPV4}", "256.1.1.1"));
  EXPECT_FALSE(full("%{INT}", "1.5"));
}

TEST(Grok, CustomPatternsAndErrors) {
  auto g = compile_grok("%{TICKET:id}", {{"TICKET", "[A-Z]+-%{INT}"}}, kMax);
  ASSERT_TRUE(g.ok());
  EXPECT_TRUE(RE2::FullMatch("ABC-12", RE2(g->regex)));
  EXPECT_FALSE(compile_grok("%{NOPE:x}", {}, kMax).ok());
  EXPECT_FALSE(compile_grok("%{INT:x", {}, kMax).ok());
  EXPECT_FALSE(compile_grok("%{INT:1x}", {}, kMax).ok());
  EXPECT_FALSE(compile_grok("%{INT:x} %{INT:x}", {}, kMax).ok());
  auto cycle = compile_grok("%{A}", {{"A", "%{B}"}, {"B", "%{A}"}}, kMax);
  ASSERT_FALSE(cycle.ok());
  EXPECT_NE(cycle.status().message().find("cycle"), std::string::npos);
  EXPECT_FALSE(compile_grok("%{COMBINEDAPACHELOG}", {}, 100).ok());
}

}  // namespace
}  // namespace maas::data::rules
