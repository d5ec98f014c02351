// Feature search's candidates and options: what is generated, what is pruned and why, and the options' checks.
#include <gtest/gtest.h>

#include <algorithm>

#include "features/search/candidates.h"

namespace maas::features::search {
namespace {

Table data() {
  Table t;
  t.columns.push_back(Column::of_numbers("a", {1, 2, 3, 4, 5, 6}));
  t.columns.push_back(Column::of_numbers("b", {1, 2, 3, 3, 2, 1}));  // the same mean in each group
  t.columns.push_back(Column::of_numbers("c", {1, 2, 3, 3, 2, 1}));  // a copy of b
  t.columns.push_back(Column::of_numbers("y", {0, 1, 0, 1, 0, 1}));
  t.columns.push_back(Column::of_texts("k", {"u", "u", "u", "v", "v", "v"}));
  return t;
}

SearchOptions options() {
  SearchOptions o;
  o.label = "y";
  return o;
}

const Candidate* find(const Candidates& c, const std::string& name) {
  for (const Candidate& k : c.kept) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string pruned_reason(const Candidates& c, const std::string& name) {
  for (const Pruned& p : c.pruned) {
    if (p.name == name) return p.reason;
  }
  return "";
}

TEST(Candidates, ArePairwiseAndGroupFeaturesComputedByTheirSteps) {
  auto c = generate_candidates(data(), options(), [] { return false; });
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->base, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(c->keys, (std::vector<std::string>{"k"}));
  const Candidate* product = find(*c, "a*b");
  ASSERT_NE(product, nullptr);
  EXPECT_EQ(product->values, (std::vector<double>{1, 4, 9, 12, 10, 6}));
  EXPECT_EQ(product->steps[0]["step"], "ArithmeticFeatures");
  const Candidate* mean = find(*c, "mean(a by k)");
  ASSERT_NE(mean, nullptr);
  EXPECT_EQ(mean->values, (std::vector<double>{2, 2, 2, 5, 5, 5}));
  EXPECT_NE(find(*c, "mean(a*b by k)"), nullptr);  // depth 2
  EXPECT_FALSE(c->budget_hit);
}

TEST(Candidates, PrunesConstantsDuplicatesAndNearCopies) {
  auto c = generate_candidates(data(), options(), [] { return false; });
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(pruned_reason(*c, "count(a by k)"), "constant");
  EXPECT_EQ(pruned_reason(*c, "mean(b by k)"), "constant");
  EXPECT_EQ(pruned_reason(*c, "a*c"), "duplicate of 'a*b'");
  EXPECT_EQ(pruned_reason(*c, "b/mean(b by k)"), "|corr| ~ 1 with 'b'");
  EXPECT_EQ(pruned_reason(*c, "b/c"), "constant");
}

TEST(Candidates, StopAtTheBudget) {
  SearchOptions o = options();
  o.max_candidates = 3;
  auto c = generate_candidates(data(), o, [] { return false; });
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->generated, 3u);
  EXPECT_TRUE(c->budget_hit);
  auto stopped = generate_candidates(data(), options(), [] { return true; });
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped->generated, 0u);
}

TEST(Candidates, NeedANumericColumnBesidesTheLabel) {
  Table t;
  t.columns.push_back(Column::of_numbers("y", {1, 2}));
  t.columns.push_back(Column::of_texts("k", {"u", "v"}));
  auto c = generate_candidates(t, options(), [] { return false; });
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("no numeric column besides the label 'y'"), std::string::npos);
}

TEST(SearchOptions, AreReadStrictly) {
  auto o = parse_search_options({{"label", "y"}, {"task", "classification"}, {"budget", {{"max_features", 2}}}});
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->task, Task::kClassification);
  EXPECT_EQ(o->max_features, 2u);
  for (const auto& [params, field] : std::vector<std::pair<nlohmann::json, std::string>>{
           {{{"task", "regression"}}, "params.label"},
           {{{"label", "y"}}, "params.task"},
           {{{"label", "y"}, {"task", "regression"}, {"budget", {{"max_candidates", 0}}}}, "max_candidates"},
           {{{"label", "y"}, {"task", "regression"}, {"budget", {{"max_seconds", 0}}}}, "max_seconds"},
           {{{"label", "y"}, {"task", "regression"}, {"budget", {{"rows", 1}}}}, "rows"},
           {{{"label", "y"}, {"task", "regression"}, {"folds", 1}}, "params.folds"},
           {{{"label", "y"}, {"task", "regression"}, {"depth", 3}}, "params.depth"},
       }) {
    auto bad = parse_search_options(params);
    ASSERT_FALSE(bad.ok()) << params.dump();
    EXPECT_NE(bad.status().message().find(field), std::string::npos) << bad.status().message();
  }
}

}  // namespace
}  // namespace maas::features::search
