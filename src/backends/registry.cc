// The one place that knows which backends this build has: adding a backend is a folder and a line here.
#include <string>

#include "backends/onnx/onnx_backend.h"
#include "backends/torchscript/torchscript_backend.h"
#include "backends/xgboost/xgboost_backend.h"
#include "runtime/backend.h"

namespace maas::runtime {

Result<std::unique_ptr<Backend>> create_backend(std::string_view framework) {
  if (framework == "xgboost") return std::unique_ptr<Backend>(std::make_unique<backends::XgboostBackend>());
  if (framework == "onnx") return std::unique_ptr<Backend>(std::make_unique<backends::OnnxBackend>());
  if (framework == "torchscript") return std::unique_ptr<Backend>(std::make_unique<backends::TorchscriptBackend>());
  return not_found("no backend for framework '" + std::string(framework) + "' in this build");
}

}  // namespace maas::runtime
