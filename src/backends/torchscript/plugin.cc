// libmaas_backend_torchscript.so's entry point (backends/plugin.h).
#include "backends/torchscript/torchscript_backend.h"
#include "backends/plugin.h"

MAAS_TENSOR_BACKEND_PLUGIN("torchscript", ::maas::backends::TorchscriptBackend)
