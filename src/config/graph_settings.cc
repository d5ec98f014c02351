// The graph.* settings (src/graph/, docs/GRAPHS.md).
#include "config/setting.h"

namespace maas::config {

std::vector<Setting> graph_settings() {
  return {
      {{"graph.max_steps", "MAAS_GRAPH_MAX_STEPS", "--graph-max-steps",
        "model steps one maas-graph may run (a node used twice counts twice); larger graphs are refused at upload"},
       whole_number(&ServerConfig::graph_max_steps, "graph.max_steps", 1, 1000)},
      {{"graph.max_depth", "MAAS_GRAPH_MAX_DEPTH", "--graph-max-depth",
        "nodes nested in nodes in one maas-graph, the root counting 1"},
       whole_number(&ServerConfig::graph_max_depth, "graph.max_depth", 1, 32)},
      {{"graph.max_fan_out", "MAAS_GRAPH_MAX_FAN_OUT", "--graph-max-fan-out",
        "steps of one node of a maas-graph (an ensemble runs them all at once)"},
       whole_number(&ServerConfig::graph_max_fan_out, "graph.max_fan_out", 1, 256)},
      {{"graph.step_load_timeout_ms", "MAAS_GRAPH_STEP_LOAD_TIMEOUT_MS", "--graph-step-load-timeout-ms",
        "how long loading a maas-graph waits for its step versions to load"},
       duration_ms(&ServerConfig::graph_step_load_timeout_ms, "graph.step_load_timeout_ms")},
  };
}

}  // namespace maas::config
