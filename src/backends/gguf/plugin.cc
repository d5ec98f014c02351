// libmaas_backend_gguf.so's entry point (backends/plugin.h).
#include "backends/gguf/gguf_backend.h"
#include "backends/plugin.h"

MAAS_GENERATIVE_BACKEND_PLUGIN("gguf", ::maas::backends::gguf::GgufBackend)
