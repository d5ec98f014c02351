// The ONNX backend: ONNX graphs run in process by OpenCV's DNN module on the CPU.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "common/status.h"
#include "runtime/backend.h"

namespace maas::backends {

// Loads an ONNX file with OpenCV's importer, which rejects a graph using an operator it lacks (the message names
// it). The signature is read from the file itself; inputs and outputs are FP32 of any rank. See README.md here
// for the operators that work.
//
// Owned by one worker; not thread-safe (a cv::dnn::Net keeps its blobs between forward passes).
class OnnxBackend final : public runtime::Backend {
 public:
  OnnxBackend();
  ~OnnxBackend() override;
  OnnxBackend(const OnnxBackend&) = delete;
  OnnxBackend& operator=(const OnnxBackend&) = delete;

  Status load(const std::filesystem::path& artifact, const runtime::BackendConfig& config) override;
  const runtime::ModelSignature& signature() const override { return signature_; }
  Result<std::vector<runtime::Tensor>> execute(const runtime::ExecuteRequest& request) override;

 private:
  struct Net;  // the cv::dnn::Net, kept out of this header with OpenCV's
  std::unique_ptr<Net> net_;
  runtime::ModelSignature signature_;
};

}  // namespace maas::backends
