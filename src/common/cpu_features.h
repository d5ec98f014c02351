// What the CPU offers that a library's choice of kernels depends on: asked before loading llama.cpp.
//
// Thread-safety: any thread; CPUID is read once per process.
#pragma once

namespace maas {

// True when CPUID reports Intel AMX tiles (AMX-TILE). llama.cpp built for the native CPU then multiplies quantized
// weights (Q8_0, Q4_0, …) with AMX, which dies with SIGILL on the virtual machines maas is tested on (Firecracker)
// although a lone tile instruction runs there: backends/gguf/extra_buffers.h asks.
bool cpu_has_amx();

}  // namespace maas
