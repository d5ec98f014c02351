#include "backends/gguf/cpu_threadpool.h"

#include <ggml-backend.h>
#include <ggml.h>
#include <llama.h>

namespace maas::backends::gguf {

Result<std::unique_ptr<CpuThreadpool>> CpuThreadpool::create(int threads) {
  // Through the CPU backend's registry, so that only libggml is linked (and a dynamically loaded CPU backend works).
  ggml_backend_dev_t cpu = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU);
  if (!cpu) return internal_error("gguf: ggml has no CPU backend");
  ggml_backend_reg_t reg = ggml_backend_dev_backend_reg(cpu);
  using NewFn = ggml_threadpool* (*)(ggml_threadpool_params*);
  auto make = reinterpret_cast<NewFn>(ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_new"));
  auto free = reinterpret_cast<FreeFn>(ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_free"));
  if (!make || !free) return internal_error("gguf: ggml's CPU backend has no threadpool functions");
  // ggml's defaults: normal priority, no pinning, polling level 50 (a short busy-wait for the next graph).
  ggml_threadpool_params params = ggml_threadpool_params_default(threads);
  ggml_threadpool* pool = make(&params);
  if (!pool) return internal_error("gguf: ggml could not start a threadpool of " + std::to_string(threads) + " threads");
  return std::unique_ptr<CpuThreadpool>(new CpuThreadpool(pool, free));
}

CpuThreadpool::~CpuThreadpool() { free_(pool_); }

void CpuThreadpool::attach(llama_context* ctx) { llama_attach_threadpool(ctx, pool_, nullptr); }

}  // namespace maas::backends::gguf
