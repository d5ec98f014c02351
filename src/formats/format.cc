// Framework names, detection from a file's first bytes, dispatch to the per-format inspectors, and the signature.
#include "formats/format.h"

#include <array>
#include <cstdio>
#include <exception>
#include <new>
#include <utility>

#include "common/utf8.h"
#include "formats/inspectors.h"

namespace maas::formats {
namespace {

constexpr size_t kHeadBytes = 64;

constexpr std::array<std::pair<Framework, std::string_view>, 5> kNames = {{
    {Framework::kXgboost, "xgboost"},
    {Framework::kOnnx, "onnx"},
    {Framework::kGguf, "gguf"},
    {Framework::kTorchscript, "torchscript"},
    {Framework::kGraph, "maas-graph"},
}};

Result<ArtifactInfo> dispatch(FileReader& file, Framework framework) {
  switch (framework) {
    case Framework::kXgboost:
      return inspect_xgboost(file);
    case Framework::kOnnx:
      return inspect_onnx(file);
    case Framework::kGguf:
      return inspect_gguf(file);
    case Framework::kTorchscript:
      return inspect_torchscript(file);
    case Framework::kGraph:
      return inspect_maas_graph(file);
  }
  assert(false && "unhandled Framework");
  return internal_error("unknown framework");
}

// Runs `inspect` with the error policy applied: no exception leaves this function.
template <typename Inspect>
Result<ArtifactInfo> guarded(std::string_view what, Inspect&& inspect) {
  try {
    return inspect();
  } catch (const nlohmann::json::exception& e) {
    // Only reachable through a library call on bad input; the inspectors turn the ones they expect into Status.
    return invalid_argument(std::string(what) + ": " + e.what());
  } catch (const std::bad_alloc&) {
    return internal_error(std::string(what) + ": out of memory while inspecting the artifact");
  } catch (const std::exception& e) {
    return internal_error(std::string(what) + ": " + e.what());
  }
}

nlohmann::json tensor_specs_json(const std::vector<TensorSpec>& specs) {
  auto out = nlohmann::json::array();
  for (const auto& spec : specs) {
    out.push_back({{"name", to_valid_utf8(spec.name)}, {"datatype", spec.datatype}, {"shape", spec.shape}});
  }
  return out;
}

// Names and metadata strings are the artifact's own bytes, which need not be UTF-8, and nlohmann's dump() throws on
// those: every string (keys too) gets U+FFFD for each byte that is not part of a valid sequence. `details` is built
// by the inspectors, a few levels deep.
nlohmann::json valid_utf8(const nlohmann::json& value) {
  if (value.is_string()) return to_valid_utf8(value.get_ref<const std::string&>());
  if (value.is_array()) {
    auto out = nlohmann::json::array();
    for (const auto& element : value) out.push_back(valid_utf8(element));
    return out;
  }
  if (value.is_object()) {
    auto out = nlohmann::json::object();
    for (const auto& [key, element] : value.items()) out[to_valid_utf8(key)] = valid_utf8(element);
    return out;
  }
  return value;
}

}  // namespace

std::string_view framework_name(Framework framework) {
  for (const auto& [value, name] : kNames) {
    if (value == framework) return name;
  }
  assert(false && "unhandled Framework");
  return "unknown";
}

std::optional<Framework> parse_framework(std::string_view name) {
  for (const auto& [value, known] : kNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::string framework_names() {
  std::string out;
  for (const auto& [value, name] : kNames) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::optional<Framework> detect_framework(std::string_view head) {
  // Most specific magic first: GGUF and zip have real magics; XGBoost and ONNX are recognised by structure.
  if (looks_like_gguf(head)) return Framework::kGguf;
  if (looks_like_torchscript(head)) return Framework::kTorchscript;
  // Before XGBoost's JSON: both start with '{'.
  if (looks_like_maas_graph(head)) return Framework::kGraph;
  if (looks_like_xgboost(head)) return Framework::kXgboost;
  if (looks_like_onnx(head)) return Framework::kOnnx;
  return std::nullopt;
}

Result<ArtifactInfo> inspect_artifact(const std::filesystem::path& path, Framework framework) {
  return guarded(framework_name(framework), [&]() -> Result<ArtifactInfo> {
    MAAS_ASSIGN_OR_RETURN(auto file, FileReader::open(path));
    return dispatch(file, framework);
  });
}

Result<ArtifactInfo> inspect_artifact(const std::filesystem::path& path) {
  return guarded("inspect", [&]() -> Result<ArtifactInfo> {
    MAAS_ASSIGN_OR_RETURN(auto file, FileReader::open(path));
    MAAS_ASSIGN_OR_RETURN(std::string head, file.read_string(std::min<uint64_t>(kHeadBytes, file.size())));
    auto framework = detect_framework(head);
    if (!framework) {
      return invalid_argument("could not detect the model format; pass framework= one of " + framework_names());
    }
    return dispatch(file, *framework);
  });
}

nlohmann::json signature_json(const ArtifactInfo& info) {
  return {
      {"format", info.format},
      {"inputs", tensor_specs_json(info.inputs)},
      {"outputs", tensor_specs_json(info.outputs)},
      {"details", info.details.is_object() ? valid_utf8(info.details) : nlohmann::json::object()},
  };
}

Status with_context(const Status& status, std::string_view prefix) {
  if (status.ok()) return status;
  return {status.code(), std::string(prefix) + ": " + status.message()};
}

std::string in_quotes(std::string_view text, size_t max_chars) {
  std::string out = "'";
  size_t shown = 0;
  for (unsigned char c : text) {
    if (shown == max_chars) {
      out += "...";
      break;
    }
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
      out += static_cast<char>(c);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", c);
      out += escaped;
    }
    ++shown;
  }
  return out + "'";
}

}  // namespace maas::formats
