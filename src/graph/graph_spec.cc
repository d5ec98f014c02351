#include "graph/graph_spec.h"

#include <re2/re2.h>

#include <cmath>
#include <functional>
#include <set>

#include "common/json_fields.h"
#include "common/names.h"

namespace maas::graph {
namespace {
using nlohmann::json;

constexpr size_t kMaxNameChars = 128;
constexpr int64_t kMaxWeight = 1'000'000;
constexpr size_t kMaxPatternChars = 512;

Status field_error(const std::string& where, const std::string& what) { return invalid_argument(where + ": " + what); }

// The fields an object may have; INVALID_ARGUMENT naming where, the first other one and those accepted.
Status only_fields(const json& object, const std::string& where, std::initializer_list<const char*> allowed) {
  Status status = check_known_fields(object, "", allowed);
  return status.ok() ? status : field_error(where, status.message());
}

Result<std::string> name_field(const json& object, const char* field, const std::string& where, bool required) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) {
    if (required) return field_error(where, std::string("'") + field + "' is required");
    return std::string();
  }
  if (!it->is_string()) return field_error(where, std::string("'") + field + "' must be a string");
  auto text = it->get<std::string>();
  if (text.empty() || text.size() > kMaxNameChars) {
    return field_error(where,
                       std::string("'") + field + "' must be 1 to " + std::to_string(kMaxNameChars) + " characters");
  }
  return text;
}

Result<std::map<std::string, std::string>> name_map(const json& object, const char* field, const std::string& where) {
  std::map<std::string, std::string> out;
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return out;
  if (!it->is_object()) return field_error(where, std::string("'") + field + "' must be an object of strings");
  for (const auto& [key, value] : it->items()) {
    if (!value.is_string() || key.empty() || value.get<std::string>().empty()) {
      return field_error(where, std::string("'") + field + "' must map names to non-empty names");
    }
    out[key] = value.get<std::string>();
  }
  return out;
}

Result<Condition::Op> parse_op(const std::string& op, const std::string& where) {
  static const std::map<std::string, Condition::Op> kOps = {
      {"<", Condition::Op::kLess},          {"<=", Condition::Op::kLessEqual}, {">", Condition::Op::kGreater},
      {">=", Condition::Op::kGreaterEqual}, {"==", Condition::Op::kEqual},     {"!=", Condition::Op::kNotEqual},
      {"matches", Condition::Op::kMatches}};
  auto it = kOps.find(op);
  if (it == kOps.end())
    return field_error(where, "'op' must be one of <, <=, >, >=, ==, !=, matches; got '" + op + "'");
  return it->second;
}

Result<Condition> parse_condition(const json& when, const std::string& where) {
  if (!when.is_object()) return field_error(where, "'when' must be an object {tensor, op, value}");
  MAAS_RETURN_IF_ERROR(only_fields(when, where + ".when", {"tensor", "op", "value", "any"}));
  Condition c;
  MAAS_ASSIGN_OR_RETURN(c.tensor, name_field(when, "tensor", where + ".when", true));
  MAAS_ASSIGN_OR_RETURN(std::string op, name_field(when, "op", where + ".when", true));
  MAAS_ASSIGN_OR_RETURN(c.op, parse_op(op, where + ".when"));
  auto value = when.find("value");
  if (value == when.end()) return field_error(where + ".when", "'value' is required");
  if (c.op == Condition::Op::kMatches) {
    if (!value->is_string() || value->get<std::string>().size() > kMaxPatternChars) {
      return field_error(where + ".when", "'value' of 'matches' must be an RE2 pattern of at most " +
                                              std::to_string(kMaxPatternChars) + " characters");
    }
    auto re = std::make_shared<const RE2>(value->get<std::string>(), RE2::Quiet);
    if (!re->ok()) return field_error(where + ".when", "'value' is not a valid RE2 pattern: " + re->error());
    c.pattern = std::move(re);
  } else {
    if (!value->is_number() || !std::isfinite(value->get<double>())) {
      return field_error(where + ".when", "'value' must be a finite number");
    }
    c.value = value->get<double>();
  }
  if (auto any = when.find("any"); any != when.end()) {
    if (!any->is_boolean()) return field_error(where + ".when", "'any' must be true or false");
    c.any = any->get<bool>();
  }
  return c;
}

Result<Step> parse_step(const json& object, const std::string& where, NodeKind kind) {
  if (!object.is_object()) return field_error(where, "a step must be an object");
  MAAS_RETURN_IF_ERROR(only_fields(
      object, where, {"name", "model", "version", "node", "input_map", "output_map", "output", "weight", "when"}));
  Step step;
  MAAS_ASSIGN_OR_RETURN(step.model, name_field(object, "model", where, false));
  MAAS_ASSIGN_OR_RETURN(step.node, name_field(object, "node", where, false));
  if (step.model.empty() == step.node.empty()) return field_error(where, "a step names either 'model' or 'node'");
  if (!step.model.empty()) MAAS_RETURN_IF_ERROR(validate_name(step.model, "model"));
  MAAS_ASSIGN_OR_RETURN(std::string version, name_field(object, "version", where, false));
  if (!version.empty()) {
    if (!step.node.empty()) return field_error(where, "'version' belongs to a model step");
    step.version = version;
  }
  MAAS_ASSIGN_OR_RETURN(step.name, name_field(object, "name", where, false));
  if (step.name.empty()) step.name = step.model.empty() ? step.node : step.model;
  MAAS_ASSIGN_OR_RETURN(step.input_map, name_map(object, "input_map", where));
  MAAS_ASSIGN_OR_RETURN(step.output_map, name_map(object, "output_map", where));
  MAAS_ASSIGN_OR_RETURN(step.output, name_field(object, "output", where, false));
  if (auto weight = object.find("weight"); weight != object.end()) {
    if (kind != NodeKind::kEnsemble && kind != NodeKind::kSplitter) {
      return field_error(where, "'weight' belongs to ensemble and splitter steps");
    }
    if (!weight->is_number_integer() || weight->get<int64_t>() < 1 || weight->get<int64_t>() > kMaxWeight) {
      return field_error(where, "'weight' must be an integer from 1 to " + std::to_string(kMaxWeight));
    }
    step.weight = weight->get<int64_t>();
  }
  if (auto when = object.find("when"); when != object.end()) {
    if (kind != NodeKind::kSwitch) return field_error(where, "'when' belongs to switch steps");
    MAAS_ASSIGN_OR_RETURN(step.when, parse_condition(*when, where));
  }
  return step;
}

Result<NodeKind> parse_kind(const std::string& kind, const std::string& where) {
  if (kind == "sequence") return NodeKind::kSequence;
  if (kind == "ensemble") return NodeKind::kEnsemble;
  if (kind == "switch") return NodeKind::kSwitch;
  if (kind == "splitter") return NodeKind::kSplitter;
  return field_error(where, "'kind' must be sequence, ensemble, switch or splitter; got '" + kind + "'");
}

Result<Combine> parse_combine(const std::string& combine, const std::string& where) {
  if (combine == "average") return Combine::kAverage;
  if (combine == "vote") return Combine::kVote;
  if (combine == "stack") return Combine::kStack;
  return field_error(where, "'combine' must be average, vote or stack; got '" + combine + "'");
}

// The checks that hold between a node's fields.
Status check_node(const Node& node, const std::string& where) {
  if (node.steps.empty()) return field_error(where, "'steps' must list at least one step");
  std::set<std::string> names;
  for (const auto& step : node.steps) {
    if (!names.insert(step.name).second) {
      return field_error(where, "two steps are named '" + step.name + "'; give them distinct 'name's");
    }
  }
  if (node.kind == NodeKind::kEnsemble && node.combine == Combine::kStack && !node.final_step) {
    return field_error(where, "'combine': 'stack' needs a 'final' step, the model fed the step outputs");
  }
  if (node.final_step && !(node.kind == NodeKind::kEnsemble && node.combine == Combine::kStack)) {
    return field_error(where, "'final' belongs to an ensemble that combines by stack");
  }
  if (node.kind == NodeKind::kSwitch) {
    for (size_t i = 0; i + 1 < node.steps.size(); ++i) {
      if (!node.steps[i].when) {
        return field_error(where + ".steps[" + std::to_string(i) + "]",
                           "only the last step of a switch may go without 'when' (it is the default)");
      }
    }
  }
  return {};
}

Result<Node> parse_node(const std::string& name, const json& object, const GraphLimits& limits) {
  const std::string where = "node '" + name + "'";
  if (!object.is_object()) return field_error(where, "a node must be an object");
  MAAS_RETURN_IF_ERROR(only_fields(object, where, {"kind", "combine", "output", "steps", "final"}));
  Node node;
  node.name = name;
  MAAS_ASSIGN_OR_RETURN(std::string kind, name_field(object, "kind", where, true));
  MAAS_ASSIGN_OR_RETURN(node.kind, parse_kind(kind, where));
  MAAS_ASSIGN_OR_RETURN(std::string combine, name_field(object, "combine", where, node.kind == NodeKind::kEnsemble));
  if (!combine.empty()) {
    if (node.kind != NodeKind::kEnsemble) return field_error(where, "'combine' belongs to ensemble nodes");
    MAAS_ASSIGN_OR_RETURN(node.combine, parse_combine(combine, where));
  }
  MAAS_ASSIGN_OR_RETURN(std::string output, name_field(object, "output", where, false));
  if (!output.empty()) node.output = output;
  auto steps = object.find("steps");
  if (steps == object.end() || !steps->is_array()) return field_error(where, "'steps' must be an array of steps");
  if (static_cast<int>(steps->size()) > limits.max_fan_out) {
    return field_error(where, "has " + std::to_string(steps->size()) + " steps, over graph.max_fan_out (" +
                                  std::to_string(limits.max_fan_out) + ")");
  }
  for (size_t i = 0; i < steps->size(); ++i) {
    MAAS_ASSIGN_OR_RETURN(Step step, parse_step((*steps)[i], where + ".steps[" + std::to_string(i) + "]", node.kind));
    node.weighted = node.weighted || (*steps)[i].contains("weight");
    node.steps.push_back(std::move(step));
  }
  if (auto final_step = object.find("final"); final_step != object.end()) {
    MAAS_ASSIGN_OR_RETURN(node.final_step, parse_step(*final_step, where + ".final", NodeKind::kSequence));
  }
  MAAS_RETURN_IF_ERROR(check_node(node, where));
  return node;
}

// Every node reference resolves, no node reaches itself, nesting stays within max_depth, and model steps are
// counted (a node used twice counts its steps twice: it runs twice).
Status check_references(GraphSpec& spec, const GraphLimits& limits) {
  std::set<std::string> on_path;
  std::function<Result<int>(const std::string&, int)> visit = [&](const std::string& name, int depth) -> Result<int> {
    if (depth > limits.max_depth) {
      return invalid_argument("node '" + name + "' is nested " + std::to_string(depth) +
                              " deep, over graph.max_depth (" + std::to_string(limits.max_depth) + ")");
    }
    if (!on_path.insert(name).second) return invalid_argument("node '" + name + "' is part of a cycle");
    const Node& node = spec.nodes.at(name);
    int models = 0;
    auto count = [&](const Step& step) -> Status {
      if (step.node.empty()) {
        ++models;
        return {};
      }
      if (!spec.nodes.count(step.node)) {
        return invalid_argument("node '" + name + "' step '" + step.name + "' names node '" + step.node +
                                "', which the graph does not have");
      }
      MAAS_ASSIGN_OR_RETURN(int inner, visit(step.node, depth + 1));
      models += inner;
      return {};
    };
    for (const auto& step : node.steps) MAAS_RETURN_IF_ERROR(count(step));
    if (node.final_step) MAAS_RETURN_IF_ERROR(count(*node.final_step));
    on_path.erase(name);
    if (models > limits.max_steps) {
      return invalid_argument("the graph runs " + std::to_string(models) + " model steps, over graph.max_steps (" +
                              std::to_string(limits.max_steps) + ")");
    }
    return models;
  };
  MAAS_ASSIGN_OR_RETURN(spec.model_steps, visit(spec.root, 1));
  return {};
}

}  // namespace

Result<GraphSpec> parse_graph(const json& document, const GraphLimits& limits) {
  if (!document.is_object()) return invalid_argument("maas-graph: the document must be a JSON object");
  MAAS_RETURN_IF_ERROR(only_fields(document, "maas-graph", {"format", "root", "nodes", "description"}));
  auto format = document.find("format");
  if (format == document.end() || *format != "maas-graph") {
    return invalid_argument("maas-graph: 'format' must be \"maas-graph\"");
  }
  // A free-form value here would be copied, nested as deep as the parser allowed, into every record that shows it.
  if (auto description = document.find("description"); description != document.end() && !description->is_string()) {
    return invalid_argument("maas-graph: 'description' must be a string");
  }
  auto nodes = document.find("nodes");
  if (nodes == document.end() || !nodes->is_object() || nodes->empty()) {
    return invalid_argument("maas-graph: 'nodes' must be an object of named nodes");
  }
  GraphSpec spec;
  for (const auto& [name, object] : nodes->items()) {
    if (name.empty() || name.size() > kMaxNameChars) {
      return invalid_argument("maas-graph: node names must be 1 to " + std::to_string(kMaxNameChars) + " characters");
    }
    MAAS_ASSIGN_OR_RETURN(Node node, parse_node(name, object, limits));
    spec.nodes.emplace(name, std::move(node));
  }
  MAAS_ASSIGN_OR_RETURN(spec.root, name_field(document, "root", "maas-graph", nodes->size() > 1));
  if (spec.root.empty()) spec.root = spec.nodes.begin()->first;
  if (!spec.nodes.count(spec.root)) {
    return invalid_argument("maas-graph: 'root' names node '" + spec.root + "', which the graph does not have");
  }
  MAAS_RETURN_IF_ERROR(check_references(spec, limits));
  return spec;
}

std::vector<std::pair<std::string, std::string>> model_refs(const GraphSpec& spec) {
  std::set<std::pair<std::string, std::string>> seen;
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const Step& step) {
    if (!step.model.empty() && seen.insert({step.model, step.version}).second)
      out.emplace_back(step.model, step.version);
  };
  for (const auto& [name, node] : spec.nodes) {
    for (const auto& step : node.steps) add(step);
    if (node.final_step) add(*node.final_step);
  }
  return out;
}

std::string node_kind_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::kSequence:
      return "sequence";
    case NodeKind::kEnsemble:
      return "ensemble";
    case NodeKind::kSwitch:
      return "switch";
    case NodeKind::kSplitter:
      return "splitter";
  }
  return "unknown";
}

std::string combine_name(Combine combine) {
  switch (combine) {
    case Combine::kAverage:
      return "average";
    case Combine::kVote:
      return "vote";
    case Combine::kStack:
      return "stack";
  }
  return "unknown";
}

}  // namespace maas::graph
