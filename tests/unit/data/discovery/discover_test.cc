#include "data/discovery/discover.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <set>

namespace maas::data::discovery {
namespace {

Discovery run(const std::vector<std::string>& lines, DiscoverOptions options = {}) {
  std::vector<std::string_view> views(lines.begin(), lines.end());
  return discover(views, options);
}

std::set<std::string> texts(const Discovery& d) {
  std::set<std::string> out;
  for (const auto& t : d.templates) out.insert(t.text);
  return out;
}

TEST(Discover, TemplatesThatDifferInOneWordStayApart) {
  std::vector<std::string> lines;
  for (int i = 0; i < 10; ++i) {
    lines.push_back("Starting TrustedInstaller initialization.");
    lines.push_back("Ending TrustedInstaller initialization.");
    lines.push_back("Starting TrustedInstaller finalization.");
  }
  EXPECT_EQ(texts(run(lines)), (std::set<std::string>{"Starting TrustedInstaller initialization.",
                                                      "Ending TrustedInstaller initialization.",
                                                      "Starting TrustedInstaller finalization."}));
}

TEST(Discover, WordsThatVaryAreParameters) {
  std::vector<std::string> users = {"admin", "test", "guest", "oracle", "support", "ftpuser", "pi", "git",
                                    "mysql", "nagios", "ubnt", "backup", "sales", "demo", "info", "user"};
  std::vector<std::string> lines;
  for (size_t i = 0; i < 60; ++i)
    lines.push_back("Invalid user " + users[i * 7 % users.size()] + " from 183.62.140." + std::to_string(i));
  Discovery d = run(lines);
  ASSERT_EQ(d.templates.size(), 1u);
  EXPECT_EQ(d.templates[0].text, "Invalid user <*> from <*>");
  EXPECT_EQ(d.templates[0].count, 60u);
}

// A lower-case word after a label is the label's value, however few values it takes; a value in capitals after a
// label (an event type, SCREEN_ON) names a template of its own.
TEST(Discover, ALabelsLowerCaseValueIsAParameter) {
  std::vector<std::string> users = {"yarn", "hadoop", "curi"};
  std::vector<std::string> lines;
  for (size_t i = 0; i < 30; ++i) {
    lines.push_back("Changing view acls to: " + users[i % users.size()]);
    lines.push_back(std::string("onReceive action: android.intent.action.SCREEN_") + (i % 2 ? "ON" : "OFF"));
  }
  EXPECT_EQ(texts(run(lines)),
            (std::set<std::string>{"Changing view acls to: <*>", "onReceive action: android.intent.action.SCREEN_ON",
                                   "onReceive action: android.intent.action.SCREEN_OFF"}));
}

TEST(Discover, StatesThatDetermineEachOtherAreConstants) {
  const char* transitions[][2] = {{"NEW", "UNASSIGNED"}, {"UNASSIGNED", "ASSIGNED"}, {"ASSIGNED", "RUNNING"},
                                  {"RUNNING", "SUCCESS_CONTAINER_CLEANUP"}, {"SUCCESS_CONTAINER_CLEANUP", "SUCCEEDED"},
                                  {"RUNNING", "FAIL_CONTAINER_CLEANUP"}, {"FAIL_CONTAINER_CLEANUP", "FAIL_TASK_CLEANUP"},
                                  {"FAIL_TASK_CLEANUP", "FAILED"}};
  std::vector<std::string> lines;
  for (int i = 0; i < 80; ++i) {
    auto& t = transitions[i % 8];
    lines.push_back("attempt_1445144423722_0020_m_0000" + std::to_string(10 + i) + "_0 TaskAttempt Transitioned from " +
                    t[0] + " to " + t[1]);
  }
  EXPECT_EQ(run(lines).templates.size(), 8u);
}

TEST(Discover, VariableLengthListsAreOneParameter) {
  std::vector<std::string> lines;
  for (int i = 0; i < 30; ++i) {
    std::string targets;
    for (int k = 0; k <= i % 3; ++k) targets += " 10.251.7." + std::to_string(k + i) + ":50010";
    lines.push_back("BLOCK* ask 10.250.14.38:50010 to replicate blk_" + std::to_string(1000 + i) + " to datanode(s)" + targets);
  }
  Discovery d = run(lines);
  ASSERT_EQ(d.templates.size(), 1u);
  EXPECT_EQ(d.templates[0].count, 30u);
}

TEST(Discover, AssignsEveryLineItsTemplateInOrder) {
  std::vector<std::string> lines = {"a b 1", "c d 2", "a b 3", "", "c d 4"};
  Discovery d = run(lines);
  ASSERT_EQ(d.assignments.size(), lines.size());
  EXPECT_EQ(d.assignments[0], 0u);  // ids number templates by their first line
  EXPECT_EQ(d.assignments[1], 1u);
  EXPECT_EQ(d.assignments[2], d.assignments[0]);
  EXPECT_EQ(d.assignments[4], d.assignments[1]);
  EXPECT_EQ(d.templates[d.assignments[3]].text, "");
}

TEST(Discover, ThreadsDoNotChangeTheResult) {
  std::vector<std::string> lines;
  for (int i = 0; i < 60000; ++i) {
    switch (i % 4) {
      case 0: lines.push_back("Received block blk_" + std::to_string(i) + " of size " + std::to_string(i * 7) + " from /10.0.0." + std::to_string(i % 250)); break;
      case 1: lines.push_back("Deleting block blk_" + std::to_string(i) + " file /data/current/subdir" + std::to_string(i % 60) + "/blk_" + std::to_string(i)); break;
      case 2: lines.push_back("session opened for user u" + std::string(1, static_cast<char>('a' + i % 26)) + "x by (uid=0)"); break;
      default: lines.push_back("Verification succeeded for blk_" + std::to_string(i)); break;
    }
  }
  DiscoverOptions one, two;
  one.threads = 1;
  two.threads = 2;
  Discovery a = run(lines, one), b = run(lines, two);
  EXPECT_EQ(a.assignments, b.assignments);
  ASSERT_EQ(a.templates.size(), b.templates.size());
  for (size_t i = 0; i < a.templates.size(); ++i) {
    EXPECT_EQ(a.templates[i].text, b.templates[i].text);
    EXPECT_EQ(a.templates[i].count, b.templates[i].count);
    EXPECT_EQ(a.templates[i].rule.pattern, b.templates[i].rule.pattern);
  }
}

TEST(DiscoverJson, HasTheFixedShape) {
  auto json = discover_json("PacketResponder 1 for block blk_38 terminating\r\n"
                            "PacketResponder 2 for block blk_-61 terminating\n"
                            "Verification succeeded for blk_7\n");
  ASSERT_TRUE(json.ok()) << json.status().to_string();
  auto body = nlohmann::json::parse(*json);
  ASSERT_EQ(body.size(), 2u);
  ASSERT_TRUE(body["templates"].is_array());
  ASSERT_EQ(body["templates"].size(), 2u);
  const auto& t = body["templates"][0];
  EXPECT_EQ(t["id"], 0);
  EXPECT_EQ(t["template"], "PacketResponder <*> for block blk_<*> terminating");
  EXPECT_EQ(t["count"], 2);
  EXPECT_EQ(t["rule"]["type"], "regex");
  EXPECT_TRUE(t["rule"]["pattern"].is_string());
  ASSERT_EQ(t["rule"]["columns"].size(), 2u);
  EXPECT_EQ(t["rule"]["columns"][1]["name"], "blk");
  EXPECT_EQ(t["rule"]["columns"][1]["type"], "int64");
  EXPECT_EQ(body["assignments"], (nlohmann::json{0, 0, 1}));
}

TEST(DiscoverJson, EmptyBodyAndOddBytes) {
  auto empty = discover_json("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(nlohmann::json::parse(*empty), (nlohmann::json{{"templates", nlohmann::json::array()},
                                                           {"assignments", nlohmann::json::array()}}));
  // Bytes that are not UTF-8 still give valid JSON, and a rule that matches them.
  std::string odd = "user \xff\xfe logged in\nuser \xc3\xa9t\xc3\xa9 logged in\n";
  auto json = discover_json(odd);
  ASSERT_TRUE(json.ok());
  auto body = nlohmann::json::parse(*json);
  ASSERT_EQ(body["assignments"].size(), 2u);
  RE2 re(body["templates"][0]["rule"]["pattern"].get<std::string>());
  ASSERT_TRUE(re.ok()) << re.error();
}

TEST(DiscoverJson, RefusesTooManyLines) {
  DiscoverOptions options;
  options.max_lines = 2;
  auto json = discover_json("a\nb\nc\n", options);
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(json.status().message().find("at most 2"), std::string::npos);
}

TEST(SplitLines, DropsCarriageReturnsAndTheLastNewline) {
  EXPECT_EQ(split_lines("a\r\nb\n\nc"), (std::vector<std::string_view>{"a", "b", "", "c"}));
  EXPECT_EQ(split_lines("a\n"), (std::vector<std::string_view>{"a"}));
  EXPECT_TRUE(split_lines("").empty());
}

}  // namespace
}  // namespace maas::data::discovery

namespace maas::data::discovery {
namespace {

// Lines of random bytes and odd shapes: discovery answers, and every line matches its template's rule.
TEST(Discover, OddInputStillGivesMatchingRules) {
  std::vector<std::string> lines = {
      "", "   ", "\t", "{", "}", "{}", "{\"a\":", "\"unclosed quote here", "key= =value ==", "[[[[", "]]]",
      std::string(100000, 'a'), std::string(5000, ' ') + "x", "a\x01" "b\x7f" "c", std::string("nul\0byte", 8),
      "\xff\xfe\xfd", "\xe2\x82", "100%", "(((1)))", "a=b=c=d", "\"\" \"\" \"\"", "-- - --- -", "1 2 3 4 5 6 7 8 9",
  };
  uint64_t x = 42;
  for (int i = 0; i < 300; ++i) {
    std::string line;
    int n = static_cast<int>((x = x * 6364136223846793005ULL + 1442695040888963407ULL) >> 58);
    for (int k = 0; k < n; ++k) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      line += static_cast<char>(x >> 56);
    }
    lines.push_back(line);
  }
  std::string body;
  for (const auto& l : lines) body += l + "\n";
  auto json = discover_json(body);
  ASSERT_TRUE(json.ok());
  auto parsed = nlohmann::json::parse(*json);
  std::vector<std::string_view> views = split_lines(body);
  ASSERT_EQ(parsed["assignments"].size(), views.size());
  Discovery d = discover(views);
  EXPECT_EQ(d.fallback_rules, 0u);
  for (size_t i = 0; i < views.size(); ++i) {
    RE2 re(d.templates[d.assignments[i]].rule.pattern);
    ASSERT_TRUE(re.ok()) << re.error();
    EXPECT_TRUE(RE2::FullMatch(re2::StringPiece(views[i].data(), views[i].size()), re))
        << "line " << i << " pattern " << d.templates[d.assignments[i]].rule.pattern;
  }
}

// A data row without spaces (telemetry, a pipe-delimited access row) splits at its delimiter: its kind field is a
// constant and its site field a parameter, and each kind's rule takes the fields apart. Before, each row was one
// token: rows of every kind were one template.
TEST(Discover, DelimitedRowsSplitAtTheirDelimiter) {
  std::vector<std::string> lines;
  for (int i = 0; i < 60; ++i) {
    std::string ts = "2026-12-07T13:" + std::to_string(10 + i % 50) + ":00Z";
    std::string site = "site-" + std::string(1, static_cast<char>('a' + i % 20));
    lines.push_back(ts + ",dev" + std::to_string(i % 7) + ",temperature," + std::to_string(i % 30) + ".5,C," + site);
    lines.push_back(ts + ",dev" + std::to_string(i % 7) + ",humidity," + std::to_string(i % 90) + ".5,%," + site);
    lines.push_back(ts + "|gw-" + std::to_string(i % 5) + "|req|GET|/api/" + site + "|200|" + std::to_string(i) + "ms");
  }
  Discovery d = run(lines);
  ASSERT_EQ(d.templates.size(), 3u);
  EXPECT_EQ(d.fallback_rules, 0u);
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(d.assignments[i], i % 3) << lines[i];
    const Rule& rule = d.templates[d.assignments[i]].rule;
    RE2 re(rule.pattern);
    ASSERT_TRUE(re.ok()) << re.error();
    EXPECT_TRUE(RE2::FullMatch(lines[i], re)) << lines[i] << " pattern " << rule.pattern;
  }
  // Each field is a column of its own: no value spans a delimiter.
  auto columns = [&](size_t line) {
    RE2 re(d.templates[d.assignments[line]].rule.pattern);
    std::vector<std::string> values(re.NumberOfCapturingGroups());
    std::vector<RE2::Arg> args(values.size());
    std::vector<const RE2::Arg*> arg_ptrs(values.size());
    for (size_t k = 0; k < values.size(); ++k) {
      args[k] = &values[k];
      arg_ptrs[k] = &args[k];
    }
    EXPECT_TRUE(RE2::FullMatchN(lines[line], re, arg_ptrs.data(), static_cast<int>(arg_ptrs.size())));
    return values;
  };
  EXPECT_EQ(columns(0).back(), "site-a");
  std::vector<std::string> request = columns(2);
  EXPECT_NE(std::find(request.begin(), request.end(), "/api/site-a"), request.end()) << lines[2];
  for (const std::string& v : request) EXPECT_EQ(v.find('|'), std::string::npos) << v;
}

}  // namespace
}  // namespace maas::data::discovery
