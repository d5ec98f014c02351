// libmaas_backend_xgboost.so's entry point (backends/plugin.h).
#include "backends/xgboost/xgboost_backend.h"
#include "backends/plugin.h"

MAAS_TENSOR_BACKEND_PLUGIN("xgboost", ::maas::backends::XgboostBackend)
