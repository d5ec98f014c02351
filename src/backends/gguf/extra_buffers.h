// Whether llama.cpp may load a GGUF file with its "extra" buffer types (weight repacking, AMX): not when the file
// has quantized weights and the CPU reports AMX, since llama.cpp's AMX kernel for quantized types (Q8_0, Q4_0, …)
// dies with SIGILL on the Firecracker VMs maas is tested on. Float models keep them (AMX never runs for them), so
// their numerics stay as they were. Header-only: the gguf backend and the compress.gguf job plugin both ask.
//
// Thread-safety: any thread; reads the file's header.
#pragma once

#include <gguf.h>

#include <string>

#include "common/cpu_features.h"

namespace maas::backends::gguf {

inline bool use_extra_buffers(const std::string& path) {
  if (!cpu_has_amx()) return true;
  gguf_init_params params{true, nullptr};
  gguf_context* context = gguf_init_from_file(path.c_str(), params);
  if (!context) return false;
  bool quantized = false;
  for (int64_t i = 0; i < gguf_get_n_tensors(context); ++i) {
    const ggml_type type = gguf_get_tensor_type(context, i);
    quantized = quantized || (type != GGML_TYPE_F32 && type != GGML_TYPE_F16 && type != GGML_TYPE_BF16);
  }
  gguf_free(context);
  return !quantized;
}

}  // namespace maas::backends::gguf
