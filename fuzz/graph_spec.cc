// maas-graph documents (a graph model's artifact): read with the default limits, then listed as at load.
#include "graph/graph_spec.h"

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto document = maas::fuzz::as_json(data, size);
  if (!document) return 0;
  auto spec = maas::graph::parse_graph(*document, maas::graph::GraphLimits{});
  if (spec.ok()) (void)maas::graph::model_refs(spec.value());
  return 0;
}
