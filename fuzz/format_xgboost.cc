// XGBoost models (JSON, UBJSON and the legacy binary format), as an upload with framework=xgboost inspects them.
#include "inspect.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return maas::fuzz::inspect(data, size, maas::formats::Framework::kXgboost);
}
