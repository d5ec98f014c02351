#include "graph/graph_spec.h"

#include <gtest/gtest.h>

namespace maas::graph {
namespace {
using nlohmann::json;

json ensemble_doc() {
  return json::parse(R"({"format": "maas-graph", "root": "main", "nodes": {
    "main": {"kind": "ensemble", "combine": "average", "output": "probabilities",
             "steps": [{"model": "a", "version": "1"}, {"model": "b", "version": "prod", "weight": 3,
                        "input_map": {"features": "input"}}]}}})");
}

std::string error_of(const json& doc, GraphLimits limits = {}) {
  auto spec = parse_graph(doc, limits);
  EXPECT_FALSE(spec.ok());
  return spec.ok() ? "" : spec.status().message();
}

TEST(GraphSpec, ReadsAnEnsemble) {
  auto spec = parse_graph(ensemble_doc(), {});
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  const Node& main = spec->nodes.at("main");
  EXPECT_EQ(main.kind, NodeKind::kEnsemble);
  EXPECT_EQ(main.combine, Combine::kAverage);
  EXPECT_EQ(main.output, "probabilities");
  ASSERT_EQ(main.steps.size(), 2u);
  EXPECT_EQ(main.steps[1].name, "b");
  EXPECT_EQ(main.steps[1].version, "prod");
  EXPECT_EQ(main.steps[1].weight, 3);
  EXPECT_EQ(main.steps[1].input_map.at("features"), "input");
  EXPECT_EQ(spec->model_steps, 2);
  EXPECT_EQ(model_refs(*spec).size(), 2u);
}

TEST(GraphSpec, RootDefaultsToTheOnlyNode) {
  json doc = ensemble_doc();
  doc.erase("root");
  auto spec = parse_graph(doc, {});
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->root, "main");
}

TEST(GraphSpec, RefusesCycles) {
  json doc = json::parse(R"({"format": "maas-graph", "root": "a", "nodes": {
    "a": {"kind": "sequence", "steps": [{"node": "b"}]},
    "b": {"kind": "sequence", "steps": [{"model": "m"}, {"node": "a"}]}}})");
  EXPECT_NE(error_of(doc).find("cycle"), std::string::npos);
}

TEST(GraphSpec, RefusesUnknownNodesAndFields) {
  json doc = json::parse(R"({"format": "maas-graph", "nodes": {"a": {"kind": "sequence", "steps": [{"node": "x"}]}}})");
  EXPECT_NE(error_of(doc).find("'x'"), std::string::npos);
  json extra = ensemble_doc();
  extra["nodes"]["main"]["steps"][0]["colour"] = "red";
  EXPECT_NE(error_of(extra).find("unknown field 'colour'"), std::string::npos);
  json kind = ensemble_doc();
  kind["nodes"]["main"]["kind"] = "loop";
  EXPECT_NE(error_of(kind).find("'kind' must be"), std::string::npos);
  json both = ensemble_doc();
  both["nodes"]["main"]["steps"][0]["node"] = "main";
  EXPECT_NE(error_of(both).find("either 'model' or 'node'"), std::string::npos);
}

TEST(GraphSpec, TakesOnlyAStringAsDescription) {
  json doc = ensemble_doc();
  doc["description"] = "an ensemble of two";
  EXPECT_TRUE(parse_graph(doc, {}).ok());
  doc["description"] = json::array({json::array({json::array()})});
  EXPECT_EQ(error_of(doc), "maas-graph: 'description' must be a string");
}

TEST(GraphSpec, EnforcesLimits) {
  EXPECT_NE(error_of(ensemble_doc(), {1, 4, 8}).find("graph.max_steps"), std::string::npos);
  EXPECT_NE(error_of(ensemble_doc(), {32, 4, 1}).find("graph.max_fan_out"), std::string::npos);
  json deep = json::parse(R"({"format": "maas-graph", "root": "a", "nodes": {
    "a": {"kind": "sequence", "steps": [{"node": "b"}]},
    "b": {"kind": "sequence", "steps": [{"node": "c"}]},
    "c": {"kind": "sequence", "steps": [{"model": "m"}]}}})");
  EXPECT_NE(error_of(deep, {32, 2, 8}).find("graph.max_depth"), std::string::npos);
  EXPECT_TRUE(parse_graph(deep, {32, 3, 8}).ok());
}

TEST(GraphSpec, ChecksNodeShapes) {
  json stack = ensemble_doc();
  stack["nodes"]["main"]["combine"] = "stack";
  EXPECT_NE(error_of(stack).find("'final'"), std::string::npos);
  json sw = json::parse(R"({"format": "maas-graph", "nodes": {"s": {"kind": "switch", "steps": [
    {"model": "a"}, {"model": "b", "when": {"tensor": "x", "op": ">", "value": 1}}]}}})");
  EXPECT_NE(error_of(sw).find("only the last step"), std::string::npos);
  json bad_re = json::parse(R"({"format": "maas-graph", "nodes": {"s": {"kind": "switch", "steps": [
    {"model": "a", "when": {"tensor": "x", "op": "matches", "value": "("}}, {"model": "b"}]}}})");
  EXPECT_NE(error_of(bad_re).find("RE2"), std::string::npos);
  json dup = json::parse(R"({"format": "maas-graph", "nodes": {"s": {"kind": "sequence", "steps": [
    {"model": "a"}, {"model": "a"}]}}})");
  EXPECT_NE(error_of(dup).find("distinct"), std::string::npos);
  json weight = json::parse(R"({"format": "maas-graph", "nodes": {"s": {"kind": "splitter", "steps": [
    {"model": "a", "weight": 0}]}}})");
  EXPECT_NE(error_of(weight).find("'weight'"), std::string::npos);
  EXPECT_NE(error_of(json::parse(R"({"format": "other", "nodes": {}})")).find("'format'"), std::string::npos);
}

}  // namespace
}  // namespace maas::graph
