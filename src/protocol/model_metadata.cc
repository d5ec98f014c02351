// model_metadata_json: the v2 model metadata document, written without a DOM like the responses.
#include <string>

#include "protocol/json_text.h"
#include "protocol/kserve_v2.h"

namespace maas::protocol {
namespace {

void append_specs(std::string& out, const std::vector<runtime::TensorSpec>& specs) {
  out.push_back('[');
  for (size_t i = 0; i < specs.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append("{\"name\":");
    append_json_string(out, specs[i].name);
    out.append(",\"datatype\":\"").append(runtime::datatype_name(specs[i].datatype)).append("\",\"shape\":");
    append_shape(out, specs[i].shape);
    out.push_back('}');
  }
  out.push_back(']');
}

}  // namespace

std::string model_metadata_json(const std::string& name, const std::vector<std::string>& versions,
                                const std::string& platform, const runtime::ModelSignature& signature) {
  std::string out;
  out.reserve(256);
  out.append("{\"name\":");
  append_json_string(out, name);
  out.append(",\"versions\":[");
  for (size_t i = 0; i < versions.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_json_string(out, versions[i]);
  }
  out.append("],\"platform\":");
  append_json_string(out, platform);
  out.append(",\"inputs\":");
  append_specs(out, signature.inputs);
  out.append(",\"outputs\":");
  append_specs(out, signature.outputs);
  out.push_back('}');
  return out;
}

}  // namespace maas::protocol
