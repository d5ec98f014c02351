#include "graph/routing.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <cstring>

namespace maas::graph {
namespace {
using runtime::DataType;
using runtime::Tensor;

Tensor fp32(std::vector<float> v) {
  Tensor t;
  t.name = "x";
  t.datatype = DataType::kFp32;
  t.shape = {static_cast<int64_t>(v.size())};
  t.data = runtime::Buffer::copy_of(v.data(), v.size() * sizeof(float));
  return t;
}

Tensor strings(std::vector<std::string> v) {
  std::string bytes;
  for (const auto& s : v) {
    uint32_t n = static_cast<uint32_t>(s.size());
    bytes.append(reinterpret_cast<const char*>(&n), 4).append(s);
  }
  Tensor t;
  t.name = "s";
  t.datatype = DataType::kBytes;
  t.shape = {static_cast<int64_t>(v.size())};
  t.data = runtime::Buffer::adopt(std::move(bytes));
  return t;
}

Condition when(Condition::Op op, double value, bool any = false) {
  Condition c;
  c.tensor = "x";
  c.op = op;
  c.value = value;
  c.any = any;
  return c;
}

TEST(Routing, ComparesEveryElementOrAny) {
  EXPECT_TRUE(*holds(when(Condition::Op::kGreater, 1), fp32({2, 3})));
  EXPECT_FALSE(*holds(when(Condition::Op::kGreater, 2.5), fp32({2, 3})));
  EXPECT_TRUE(*holds(when(Condition::Op::kGreater, 2.5, true), fp32({2, 3})));
  EXPECT_FALSE(*holds(when(Condition::Op::kLess, 9), fp32({})));
  EXPECT_TRUE(*holds(when(Condition::Op::kEqual, 2), fp32({2})));
}

TEST(Routing, MatchesWholeStringsWithRe2) {
  Condition c;
  c.tensor = "s";
  c.op = Condition::Op::kMatches;
  c.pattern = std::make_shared<const RE2>("fr|de");
  EXPECT_TRUE(*holds(c, strings({"fr", "de"})));
  EXPECT_FALSE(*holds(c, strings({"fra"})));
  EXPECT_FALSE(holds(c, fp32({1})).ok());
  EXPECT_FALSE(holds(when(Condition::Op::kLess, 1), strings({"a"})).ok());
}

TEST(Routing, MatchesWithThePatternCompiledWhenTheGraphWasRead) {
  auto spec = parse_graph(nlohmann::json::parse(R"({"format": "maas-graph", "nodes": {"s": {"kind": "switch",
    "steps": [{"model": "a", "when": {"tensor": "s", "op": "matches", "value": "fr|de"}}, {"model": "b"}]}}})"),
                          {});
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  const Condition& c = *spec->nodes.at("s").steps[0].when;
  ASSERT_NE(c.pattern, nullptr);
  EXPECT_EQ(c.pattern->pattern(), "fr|de");
  EXPECT_TRUE(*holds(c, strings({"fr", "de"})));
  EXPECT_FALSE(*holds(c, strings({"fra"})));
}

TEST(Routing, PicksByFnvOfTheKey) {
  EXPECT_EQ(fnv1a64(""), 14695981039346656037ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  const std::vector<int64_t> weights = {1, 3};
  for (std::string id : {"r1", "r2", "r3", "abc"}) {
    size_t expected = fnv1a64(id + "/s") % 4 < 1 ? 0 : 1;
    EXPECT_EQ(pick_weighted(id + "/s", weights), expected);
    EXPECT_EQ(pick_weighted(id + "/s", weights), pick_weighted(id + "/s", weights));
  }
  EXPECT_LT(pick_weighted("", weights), 2u);
}

}  // namespace
}  // namespace maas::graph
