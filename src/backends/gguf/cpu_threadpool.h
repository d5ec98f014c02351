// A persistent ggml CPU threadpool for the engine's llama.cpp contexts. Without one, ggml creates and joins its
// worker threads inside every llama_decode; the fresh threads start wherever the scheduler puts them (often on the
// core of the thread that made them) while that thread spins in ggml's busy-wait barrier, so on a busy machine a
// decode step can cost hundreds of milliseconds. Long-lived threads keep their cores and poll briefly for the next
// graph, as llama-server's do.
//
// Ownership: the pool must outlive every context it is attached to (free the contexts first). Not thread-safe:
// the contexts using it must decode on one thread at a time (the engine's).
#pragma once

#include <memory>

#include "common/status.h"

struct ggml_threadpool;
struct llama_context;

namespace maas::backends::gguf {

class CpuThreadpool {
 public:
  // INTERNAL when ggml has no CPU backend or cannot start the threads.
  static Result<std::unique_ptr<CpuThreadpool>> create(int threads);
  ~CpuThreadpool();
  CpuThreadpool(const CpuThreadpool&) = delete;
  CpuThreadpool& operator=(const CpuThreadpool&) = delete;

  // Prompt batches and single-token steps both run on this pool.
  void attach(llama_context* ctx);

 private:
  using FreeFn = void (*)(ggml_threadpool*);
  CpuThreadpool(ggml_threadpool* pool, FreeFn free) : pool_(pool), free_(free) {}
  ggml_threadpool* pool_;
  FreeFn free_;
};

}  // namespace maas::backends::gguf
