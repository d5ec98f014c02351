#include "graph/graph_signature.h"

#include <map>
#include <vector>

namespace maas::graph {
namespace {
using runtime::DataType;
using runtime::TensorSpec;

// The names visible where a step runs: what earlier steps produced here, and, for a node entered through a step
// with an input_map, the outer names its inputs are read from.
struct Scope {
  std::map<std::string, TensorSpec> produced;
  std::map<std::string, std::string> aliases;  // inner name -> outer name
  Scope* parent = nullptr;
};

class Deriver {
 public:
  Deriver(const GraphSpec& spec, const StepInvoker& steps) : spec_(spec), steps_(steps) {}

  Result<std::vector<TensorSpec>> node(const Node& node, Scope& scope) {
    switch (node.kind) {
      case NodeKind::kSequence: {
        Scope local{{}, {}, &scope};
        std::vector<TensorSpec> last;
        for (const auto& step : node.steps) {
          MAAS_ASSIGN_OR_RETURN(last, this->step(step, local));
          for (const auto& out : last) local.produced[out.name] = out;
        }
        return last;
      }
      case NodeKind::kEnsemble:
        return ensemble(node, scope);
      case NodeKind::kSwitch:
      case NodeKind::kSplitter: {
        std::vector<TensorSpec> first;
        for (size_t i = 0; i < node.steps.size(); ++i) {
          const Step& step = node.steps[i];
          if (step.when) read(step.when->tensor, condition_spec(*step.when), scope);
          MAAS_ASSIGN_OR_RETURN(auto outputs, this->step(step, scope));
          if (i == 0) first = std::move(outputs);
        }
        return first;
      }
    }
    return internal_error("unknown node kind");
  }

  std::vector<TensorSpec> inputs() const {
    std::vector<TensorSpec> out;
    for (const auto& [name, spec] : inputs_) out.push_back(spec);
    return out;
  }

 private:
  static TensorSpec condition_spec(const Condition& c) {
    TensorSpec spec;
    spec.datatype = c.op == Condition::Op::kMatches ? DataType::kBytes : DataType::kFp32;
    spec.shape = {-1};
    spec.shape_known = false;
    return spec;
  }

  // `name` read in `scope`: produced there or above, or else an input of the graph.
  void read(const std::string& name, TensorSpec spec, Scope& scope) {
    std::string outer = name;
    for (Scope* s = &scope; s != nullptr; s = s->parent) {
      if (s->produced.count(outer)) return;
      if (auto it = s->aliases.find(outer); it != s->aliases.end()) outer = it->second;
    }
    spec.name = outer;
    inputs_.emplace(outer, std::move(spec));
  }

  Result<std::vector<TensorSpec>> step(const Step& step, Scope& scope) {
    std::vector<TensorSpec> outputs;
    if (step.node.empty()) {
      MAAS_ASSIGN_OR_RETURN(const runtime::ModelSignature* signature, steps_.signature_of(step));
      for (const auto& input : signature->inputs) {
        auto mapped = step.input_map.find(input.name);
        read(mapped == step.input_map.end() ? input.name : mapped->second, input, scope);
      }
      outputs = signature->outputs;
    } else {
      Scope inner{{}, step.input_map, &scope};
      MAAS_ASSIGN_OR_RETURN(outputs, node(spec_.nodes.at(step.node), inner));
    }
    for (auto& out : outputs) {
      if (auto it = step.output_map.find(out.name); it != step.output_map.end()) out.name = it->second;
    }
    return outputs;
  }

  Result<std::vector<TensorSpec>> ensemble(const Node& node, Scope& scope) {
    std::vector<TensorSpec> chosen;
    for (const auto& step : node.steps) {
      MAAS_ASSIGN_OR_RETURN(auto outputs, this->step(step, scope));
      if (outputs.empty())
        return invalid_argument("graph node '" + node.name + "' step '" + step.name +
                                "': its model declares no output");
      const TensorSpec* pick = &outputs.front();
      for (const auto& out : outputs) {
        if (!step.output.empty() && out.name == step.output) pick = &out;
      }
      chosen.push_back(*pick);
    }
    TensorSpec combined = chosen.front();
    combined.name = node.output;
    if (node.combine == Combine::kAverage) {
      for (const auto& c : chosen) {
        if (c.datatype != DataType::kFp32) combined.datatype = DataType::kFp64;
      }
      return std::vector<TensorSpec>{combined};
    }
    if (node.combine == Combine::kVote) {
      return std::vector<TensorSpec>{{node.output, DataType::kInt64, {-1}, true, false}};
    }
    Scope fed{{}, {}, &scope};
    fed.produced[node.output] = {node.output, DataType::kFp32, {-1, -1}, true, false};
    const Step& final_step = *node.final_step;
    if (final_step.node.empty() && final_step.input_map.empty()) {
      MAAS_ASSIGN_OR_RETURN(const runtime::ModelSignature* signature, steps_.signature_of(final_step));
      for (const auto& input : signature->inputs) fed.produced[input.name] = input;
    }
    return this->step(final_step, fed);
  }

  const GraphSpec& spec_;
  const StepInvoker& steps_;
  std::map<std::string, TensorSpec> inputs_;
};

}  // namespace

Result<runtime::ModelSignature> derive_signature(const GraphSpec& spec, const StepInvoker& steps) {
  Deriver deriver(spec, steps);
  Scope top;
  runtime::ModelSignature signature;
  MAAS_ASSIGN_OR_RETURN(signature.outputs, deriver.node(spec.nodes.at(spec.root), top));
  signature.inputs = deriver.inputs();
  signature.batchable = false;
  return signature;
}

}  // namespace maas::graph
