#include "compression/gguf_kind.h"

#include "compression/gguf_job.h"
#include "compression/gguf_types.h"
#include "compression/source_version.h"
#include "jobs/params.h"

namespace maas::compression {
namespace {

using nlohmann::json;

constexpr int64_t kDefaultTokens = 32;
constexpr int64_t kMaxTokens = 1024;
constexpr size_t kMaxPromptBytes = 4096;  // the measuring context is sized by it
constexpr const char* kDefaultPrompt = "The quick brown fox jumps over the lazy dog.";

Result<json> validate(registry::Registry& models, const json& params) {
  MAAS_RETURN_IF_ERROR(jobs::check_param_keys(params, kCompressGgufKind,
                                              {"model", "model_version", "type", "measure_tokens", "prompt"}));
  auto type = params.find("type");
  if (type == params.end() || !type->is_string())
    return invalid_argument("params.type is required: one of " + gguf_type_names());
  std::optional<GgufType> found = find_gguf_type(type->get<std::string>());
  if (!found) {
    return invalid_argument("params.type '" + type->get<std::string>() +
                            "' is not a quantization type maas offers: " + gguf_type_names());
  }
  MAAS_ASSIGN_OR_RETURN(json out, resolve_source(models, params, kCompressGgufKind, formats::Framework::kGguf));
  out["type"] = found->name;
  out["measure_tokens"] = kDefaultTokens;
  if (auto tokens = params.find("measure_tokens"); tokens != params.end()) {
    if (!tokens->is_number_integer() || tokens->get<int64_t>() < 1 || tokens->get<int64_t>() > kMaxTokens)
      return invalid_argument("params.measure_tokens must be a whole number from 1 to " + std::to_string(kMaxTokens));
    out["measure_tokens"] = *tokens;
  }
  out["prompt"] = kDefaultPrompt;
  if (auto prompt = params.find("prompt"); prompt != params.end()) {
    if (!prompt->is_string() || prompt->get<std::string>().empty() ||
        prompt->get<std::string>().size() > kMaxPromptBytes) {
      return invalid_argument("params.prompt must be a non-empty string of at most " + std::to_string(kMaxPromptBytes) +
                              " bytes");
    }
    out["prompt"] = *prompt;
  }
  return out;
}

}  // namespace

jobs::JobKind gguf_kind(data::api::DataApi& data, registry::Registry& models, std::filesystem::path executor_plugin) {
  jobs::JobKind kind;
  kind.name = kCompressGgufKind;
  kind.description = "quantize a GGUF model version (llama.cpp's llama_model_quantize) into a new version";
  kind.executor_plugin = std::move(executor_plugin);
  kind.validate = [&models](const json& params) { return validate(models, params); };
  kind.on_succeeded = [&data, &models](const jobs::SucceededJob& job) {
    return register_compressed(data, models, job, {{"type", job.params["type"]}});
  };
  return kind;
}

}  // namespace maas::compression
