// maasd's half of compress.gguf (the executor is gguf_job.h, in the plugin bin/jobs/libmaas_jobs_gguf.so so that
// only its job processes load llama.cpp): validate() resolves the source GGUF version and the quantization type
// (refusing an unknown one with the list of valid ones); on_succeeded() registers the quantized file as a new version
// of the same model (source_version.h).
//
// Thread-safety: the kind's functions may run on any thread; the DataApi and Registry outlive it.
#pragma once

#include <filesystem>

#include "data/api/data_api.h"
#include "jobs/job_kind.h"
#include "registry/registry.h"

namespace maas::compression {

jobs::JobKind gguf_kind(data::api::DataApi& data, registry::Registry& models, std::filesystem::path executor_plugin);

}  // namespace maas::compression
