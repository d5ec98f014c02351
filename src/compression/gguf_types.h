// The GGUF quantization types compress.gguf offers: llama-quantize's names and the llama_ftype each stands for.
// Pure data, so that maasd validates a submission without linking llama.cpp; the executor checks the values
// against llama.h at compile time (gguf_quantize.cc).
//
// Thread-safety: immutable.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maas::compression {

struct GgufType {
  const char* name;  // as llama-quantize spells it: "Q8_0", "Q4_K_M"
  int ftype;         // the llama_ftype value
};

// The types llama_model_quantize makes without an importance matrix (the IQ1/IQ2/IQ3 types need one).
const std::vector<GgufType>& gguf_types();

// The type named `name` (case-insensitive), nullopt when there is none.
std::optional<GgufType> find_gguf_type(std::string_view name);

// "F32, F16, BF16, Q8_0, …": the names, for the message that refuses an unknown one.
std::string gguf_type_names();

}  // namespace maas::compression
