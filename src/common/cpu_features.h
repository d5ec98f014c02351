// What the CPU offers that a library's choice of kernels depends on: asked before loading llama.cpp.
//
// Thread-safety: any thread; CPUID is read once per process.
#pragma once

namespace maas {

// True when CPUID reports Intel AMX tiles (AMX-TILE). llama.cpp built for the native CPU then multiplies quantized
// weights (Q8_0, Q4_0, …) with AMX through its "extra" buffer types, and that kernel dies with SIGILL on the virtual
// machines maas is tested on (Firecracker) although a lone tile instruction runs there; so maas loads GGUF models
// without the extra buffer types where this is true (docs/LLM.md).
bool cpu_has_amx();

}  // namespace maas
