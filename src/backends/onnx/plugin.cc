// libmaas_backend_onnx.so's entry point (backends/plugin.h).
#include "backends/onnx/onnx_backend.h"
#include "backends/plugin.h"

MAAS_TENSOR_BACKEND_PLUGIN("onnx", ::maas::backends::OnnxBackend)
