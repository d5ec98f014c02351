// The maas-graph document: an inference graph served as one model version (Triton's ensembles, KServe's
// InferenceGraph). Its nodes (sequence, ensemble, switch, splitter) run steps, each a registered model version or
// another node; parse_graph reads the JSON document strictly, within GraphLimits, and checks its structure (names,
// references between nodes, no cycles, depth, fan-out, conditions). docs/GRAPHS.md describes the format.
// Thread-safety: plain values; a parsed GraphSpec is immutable and shared freely.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace maas::graph {

// graph.max_steps, graph.max_depth, graph.max_fan_out.
struct GraphLimits {
  int max_steps = 32;   // model steps in the whole graph (each node's steps, a stack's final step)
  int max_depth = 4;    // nodes nested in nodes, the root counting 1
  int max_fan_out = 8;  // steps of one node
};

enum class NodeKind { kSequence, kEnsemble, kSwitch, kSplitter };
enum class Combine { kAverage, kVote, kStack };

// A switch step's condition on a tensor the node sees (a request input, or an earlier step's output in a sequence).
struct Condition {
  enum class Op { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual, kMatches };
  std::string tensor;
  Op op = Op::kEqual;
  double value = 0;     // numeric ops
  std::shared_ptr<const re2::RE2> pattern;  // kMatches: compiled once, matched against whole BYTES elements
  bool any = false;     // true: one element suffices; false: every element must hold
};

struct Step {
  std::string name;                // unique within its node: "model" or "node" unless the document names it
  std::string model;               // a registered model; empty when the step is a node
  std::string version = "latest";  // a version number or an alias, resolved when the graph loads
  std::string node;                // another node of the graph
  std::map<std::string, std::string> input_map;   // the step's input -> the tensor of the graph that feeds it
  std::map<std::string, std::string> output_map;  // the step's output -> the name it takes in the graph
  std::string output;             // ensemble: the output combined (after output_map); empty: the step's first
  int64_t weight = 1;             // ensemble average, splitter
  std::optional<Condition> when;  // switch; absent: always holds (the default step, last)
};

struct Node {
  std::string name;
  NodeKind kind = NodeKind::kSequence;
  Combine combine = Combine::kAverage;  // ensemble
  bool weighted = false;                // ensemble average: some step set a weight
  std::string output = "output";        // ensemble average and vote: the combined tensor's name
  std::vector<Step> steps;
  std::optional<Step> final_step;  // ensemble stack: the model fed the step outputs side by side
};

struct GraphSpec {
  std::string root;
  std::map<std::string, Node> nodes;
  int model_steps = 0;  // steps that name a model, counted once per appearance
};

// Reads a maas-graph document. INVALID_ARGUMENT naming the node, the step and the field for anything malformed,
// unknown or over `limits`.
Result<GraphSpec> parse_graph(const nlohmann::json& document, const GraphLimits& limits);

// The (model, version ref) of every model step, each once.
std::vector<std::pair<std::string, std::string>> model_refs(const GraphSpec& spec);

std::string node_kind_name(NodeKind kind);  // "sequence", "ensemble", "switch", "splitter"
std::string combine_name(Combine combine);  // "average", "vote", "stack"

}  // namespace maas::graph
