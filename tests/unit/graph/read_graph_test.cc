#include <gtest/gtest.h>

#include "graph/graph_runner_factory.h"

namespace maas::graph {
namespace {
using nlohmann::json;

runtime::BackendRegistry tensor_backends() {
  runtime::BackendRegistry backends;
  backends.add({"xgboost", "xgboost_json", runtime::ServingKind::kTensor, {}, {}});
  return backends;
}

json two_step_sequence() {
  return json::parse(R"({"format": "maas-graph", "nodes": {"main": {"kind": "sequence", "steps": [
    {"model": "a", "version": "prod"}, {"model": "b", "version": "2"}, {"name": "again", "model": "a",
     "version": "prod"}]}}})");
}

TEST(ReadGraph, ResolvesEachStepOnceAndReturnsWhatItChecked) {
  std::map<std::string, int> calls;
  StepResolver resolve = [&](const std::string& model, const std::string& ref) -> Result<StepRecord> {
    ++calls[model + ":" + ref];
    return StepRecord{model == "a" ? 7 : 2, "xgboost"};
  };
  auto graph = read_graph(two_step_sequence(), {}, resolve, tensor_backends());
  ASSERT_TRUE(graph.ok()) << graph.status().message();
  EXPECT_EQ(calls, (std::map<std::string, int>{{"a:prod", 1}, {"b:2", 1}}));
  ASSERT_EQ(graph->steps.size(), 2u);
  EXPECT_EQ(graph->steps[0].first, (GraphModel::StepKey{"a", "prod"}));
  EXPECT_EQ(graph->steps[0].second.version, 7);
  EXPECT_EQ(graph->steps[1].first, (GraphModel::StepKey{"b", "2"}));
  EXPECT_EQ(graph->steps[1].second.version, 2);
  EXPECT_EQ(graph->spec.nodes.at("main").steps.size(), 3u);
}

TEST(ReadGraph, RefusesAStepThatIsNotATensorModel) {
  StepResolver resolve = [](const std::string& model, const std::string&) -> Result<StepRecord> {
    return StepRecord{1, model == "a" ? "xgboost" : kGraphFramework};
  };
  auto graph = read_graph(two_step_sequence(), {}, resolve, tensor_backends());
  ASSERT_FALSE(graph.ok());
  EXPECT_NE(graph.status().message().find("step model 'b' version 1 is maas-graph"), std::string::npos)
      << graph.status().message();
}

}  // namespace
}  // namespace maas::graph
