// The executor of compress.gguf, run in maas-job from the plugin bin/jobs/libmaas_jobs_gguf.so: quantizes the source
// GGUF with llama_model_quantize (llama-quantize's defaults, the job's CPU slots as threads) and measures both files
// the same way (gguf_greedy.h). maasd's half (gguf_kind.h) registers the result.
//
// Thread-safety: runs on the job's thread.
#pragma once

#include "jobs/executor.h"

namespace maas::compression {

inline constexpr const char* kCompressGgufKind = "compress.gguf";

// Params (from gguf_kind's validate): model, model_version, framework, model_file, source_bytes, type,
// measure_tokens, prompt. Result: {model_file, report: {size_bytes, latency, greedy}}.
Status run_compress_gguf(jobs::JobContext& job);

}  // namespace maas::compression
