// libmaas_jobs_gguf.so: the executor of compress.gguf, a job plugin so that only its jobs' processes load
// llama.cpp. Its kind is built into maasd (gguf_kind.h), whose executor_plugin names this file.
#include "compression/gguf_job.h"
#include "jobs/plugin.h"

MAAS_JOBS_PLUGIN(registrar) {
  registrar.add_executor(maas::compression::kCompressGgufKind, maas::compression::run_compress_gguf);
}
