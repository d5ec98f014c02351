#include "data/rules/json_path.h"

#include <gtest/gtest.h>

namespace maas::data::rules {
namespace {

std::vector<nlohmann::json> values(const std::string& path, const nlohmann::json& doc) {
  auto p = parse_json_path(path);
  EXPECT_TRUE(p.ok()) << path << ": " << p.status().message();
  std::vector<nlohmann::json> out;
  if (p.ok()) {
    for (const auto* v : select(*p, doc)) out.push_back(*v);
  }
  return out;
}

TEST(JsonPath, SelectsTheSubset) {
  auto doc = nlohmann::json::parse(R"({"a": {"b": 1, "odd key": 2}, "items": [{"id": 1}, {"id": 2}, {"x": 3}]})");
  EXPECT_EQ(values("$.a.b", doc), std::vector<nlohmann::json>{1});
  EXPECT_EQ(values("$['a']['odd key']", doc), std::vector<nlohmann::json>{2});
  EXPECT_EQ(values("$.items[1].id", doc), std::vector<nlohmann::json>{2});
  EXPECT_EQ(values("$.items[*].id", doc), (std::vector<nlohmann::json>{1, 2}));
  EXPECT_TRUE(values("$.items[9].id", doc).empty());
  EXPECT_TRUE(values("$.a.b.c", doc).empty());
  EXPECT_EQ(values("$", doc).size(), 1u);
  EXPECT_TRUE(parse_json_path("$.items[*].id")->has_wildcard());
}

TEST(JsonPath, RefusesWhatIsNotTheSubset) {
  for (const char* bad : {"a.b", "$..a", "$.a[?(@.x)]", "$.a[-1]", "$.a[", "$['a", "$.", "$.a[1:2]"}) {
    EXPECT_FALSE(parse_json_path(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace maas::data::rules
