// Model artifact formats: detect a file's framework from its bytes, validate that it is a well-formed model of
// that framework, and describe it (its signature). Used by the registry on upload, before anything is stored.
//
// Every inspector reads the file itself, streaming and with bounded memory (a 5 GB artifact must not be loaded
// whole), never trusts a length field without checking it against the file size, and reports a malformed file
// as an INVALID_ARGUMENT Status whose message says what is wrong and where. Thread-safe: no shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace maas::formats {

// kGraph: a maas-graph document (an inference graph over other versions, src/graph/), served by maasd itself.
enum class Framework { kXgboost, kOnnx, kGguf, kTorchscript, kGraph };

// The largest maas-graph document: refused above it at upload, and read within it when a graph loads.
inline constexpr size_t kMaxGraphDocumentBytes = size_t{1} << 20;

// "xgboost", "onnx", "gguf", "torchscript", "maas-graph"
std::string_view framework_name(Framework framework);
std::optional<Framework> parse_framework(std::string_view name);
// Every framework's name, for messages: "xgboost, onnx, gguf, torchscript, maas-graph".
std::string framework_names();

// One input or output of a model, in the Open Inference Protocol's terms. `datatype` is a KServe v2 name
// ("FP32", "INT64", "BYTES", ...) or empty when the format does not record it; -1 in `shape` is a variable dim.
struct TensorSpec {
  std::string name;
  std::string datatype;
  std::vector<int64_t> shape;
};

// What inspection learned about an artifact.
struct ArtifactInfo {
  Framework framework = Framework::kXgboost;
  // The concrete encoding: "xgboost-json", "xgboost-ubjson", "xgboost-binary", "onnx", "gguf", "torchscript",
  // "maas-graph".
  std::string format;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  // Framework-specific facts a user or a backend wants to see (objective and tree count, opsets and operators,
  // architecture and context length, ...). Always a JSON object.
  nlohmann::json details = nlohmann::json::object();
};

// Guesses the framework from the first bytes of a file (pass at least the first 64 bytes, or the whole file if
// shorter). nullopt when no known format starts that way.
std::optional<Framework> detect_framework(std::string_view head);

// Validates `path` as a model of `framework` and describes it.
Result<ArtifactInfo> inspect_artifact(const std::filesystem::path& path, Framework framework);
// Detects the framework first; INVALID_ARGUMENT naming the known frameworks when none matches.
Result<ArtifactInfo> inspect_artifact(const std::filesystem::path& path);

// Converts an ArtifactInfo to the JSON "signature" object the API returns:
// {"format", "inputs": [{"name","datatype","shape"}], "outputs": [...], "details": {...}}.
nlohmann::json signature_json(const ArtifactInfo& info);

}  // namespace maas::formats
