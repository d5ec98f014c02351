#include "backends/gguf/gguf_backend.h"

namespace maas::backends::gguf {

Status GgufBackend::load(const std::filesystem::path& artifact, const llm::GenerativeConfig& config,
                         llm::GenerationSink& sink) {
  MAAS_ASSIGN_OR_RETURN(engine_, Engine::load(artifact, config, sink));
  return {};
}

}  // namespace maas::backends::gguf
