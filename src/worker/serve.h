// maas-worker's two loops, one per kind of backend plugin (backends/plugin.h), and the answer both give a load
// that fails. Each runs until maasd closes the channel (fd 3) and returns the process's exit code.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "common/status.h"
#include "features/serving/serving_pipeline.h"
#include "llm/generative_backend.h"
#include "runtime/backend.h"

namespace maas::worker {

// Sends LOAD_FAILED with `status` to maasd; the exit code to return.
int report_load_failure(const Status& status);

// A tensor backend: loads the artifact, refuses a model whose inputs claim more than `max_tensor_elements` per row,
// says READY with the signature, then answers one message at a time — a WARM_UP once (it builds its own
// zero-filled input), then batches (runtime/wire.h). With a `pipeline`, the signature maasd sees is the pipeline's
// raw columns and every batch is transformed into the model's one input first (features/serving/).
int serve_tensor(std::unique_ptr<runtime::Backend> backend, const std::filesystem::path& artifact, int threads,
                 uint64_t max_tensor_elements, const features::ServingPipeline* pipeline);

// A generative backend: loads the model, says READY with its info, then a reader thread feeds it GENERATE /
// CANCEL / EMBED messages tagged with a stream id while its own thread decodes and writes what each stream
// produces (llm/generation.h), one write per step.
int serve_generative(std::unique_ptr<llm::GenerativeBackend> backend, const std::filesystem::path& artifact,
                     const llm::GenerativeConfig& config);

}  // namespace maas::worker
