// OnnxBackend: imports the graph with OpenCV DNN, turning its import errors into messages that name the operator.
#include "backends/onnx/onnx_backend.h"

#include <climits>
#include <exception>
#include <regex>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>

#include "backends/artifact.h"
#include "backends/input_binding.h"

namespace maas::backends {
namespace {

constexpr std::string_view kName = "onnx";

// OpenCV's messages read "OpenCV(4.6.0) ./modules/...cpp:110: error: (-2:Unspecified error) WHAT in function
// 'f'"; only WHAT helps a user.
std::string clean_message(std::string text) {
  text = std::regex_replace(text, std::regex(R"(OpenCV\([^)]*\) \S+: error: \([^)]*\) ?)"), "");
  text = std::regex_replace(text, std::regex(R"(\s?in function '[^']*')"), "");
  text = std::regex_replace(text, std::regex(R"(\n> ?)"), " ");
  text = std::regex_replace(text, std::regex(R"(\s+)"), " ");
  if (!text.empty() && text.back() == ' ') text.pop_back();
  if (!text.empty() && text.front() == ' ') text.erase(0, 1);
  return text;
}

// OpenCV's ONNX importer wraps any failure on a node as "Node [Type@domain]:(name) parse error: REASON"; when
// it has no layer for the operator at all, REASON is "Can't create layer "name" of type "Type"".
Status import_error(const cv::Exception& e) {
  const std::string text = e.err.empty() ? std::string(e.what()) : e.err;
  std::smatch node;
  if (!std::regex_search(text, node, std::regex(R"(Node \[([^@\]]*)@[^\]]*\]:\(([^)]*)\) parse error: ([\s\S]*))"))) {
    return invalid_argument("onnx: OpenCV DNN cannot load the graph: " + clean_message(text));
  }
  std::string op = node[1];
  std::string name = node[2];
  std::string reason = node[3];
  if (reason.find("Can't create layer") != std::string::npos) {
    return invalid_argument("onnx: operator '" + op + "' is not supported by the OpenCV DNN backend (OpenCV " +
                            CV_VERSION + " has no layer for it; node '" + name + "')");
  }
  return invalid_argument("onnx: operator '" + op + "' is not supported by the OpenCV DNN backend as used by node '" +
                          name + "' (" + clean_message(reason) + ")");
}

// The importer also logs a failing node to stderr; the Status it becomes says the same, once. OpenCV's log level
// is process-wide, so it is lowered only while a graph is imported.
class QuietLog {
 public:
  QuietLog() : previous_(cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_FATAL)) {}
  ~QuietLog() { cv::utils::logging::setLogLevel(previous_); }
  QuietLog(const QuietLog&) = delete;
  QuietLog& operator=(const QuietLog&) = delete;

 private:
  cv::utils::logging::LogLevel previous_;
};

std::string describe_inputs(const std::vector<const runtime::Tensor*>& inputs) {
  std::string out;
  for (const auto* t : inputs) out += (out.empty() ? "'" : ", '") + t->name + "' " + shape_string(t->shape);
  return out;
}

}  // namespace

struct OnnxBackend::Net {
  cv::dnn::Net net;
};

OnnxBackend::OnnxBackend() = default;
OnnxBackend::~OnnxBackend() = default;

Status OnnxBackend::load(const std::filesystem::path& artifact, const runtime::BackendConfig& config) {
  if (net_) return failed_precondition("onnx: a model is already loaded");
  // The signature comes from the file: OpenCV does not expose the declared input shapes.
  MAAS_ASSIGN_OR_RETURN(auto info, inspect_before_load(kName, artifact, formats::Framework::kOnnx));
  runtime::ModelSignature signature;
  for (const auto& spec : info.inputs) {
    if (!spec.datatype.empty() && spec.datatype != "FP32") {
      return invalid_argument("onnx: input '" + spec.name + "' is " + spec.datatype +
                              "; the OpenCV DNN backend takes FP32 inputs only");
    }
    signature.inputs.push_back({spec.name, runtime::DataType::kFp32, spec.shape});
  }
  // OpenCV computes in FP32 whatever the graph declares, so that is what is returned.
  for (const auto& spec : info.outputs) signature.outputs.push_back({spec.name, runtime::DataType::kFp32, spec.shape});
  bool batchable = !signature.inputs.empty();
  for (const auto* specs : {&signature.inputs, &signature.outputs}) {
    for (const auto& spec : *specs) batchable = batchable && !spec.shape.empty() && spec.shape[0] == -1;
  }
  signature.batchable = batchable;

  auto net = std::make_unique<Net>();
  try {
    QuietLog quiet;
    net->net = cv::dnn::readNetFromONNX(artifact.string());
    if (net->net.empty()) {
      return invalid_argument("onnx: OpenCV DNN loaded an empty graph from '" + artifact.string() + "'");
    }
    net->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  } catch (const cv::Exception& e) {
    return import_error(e);
  } catch (const std::exception& e) {
    return invalid_argument(std::string("onnx: OpenCV DNN cannot load the graph: ") + e.what());
  }
  // Process-wide in OpenCV; a worker process holds one model, so the last load wins harmlessly.
  cv::setNumThreads(config.threads);
  net_ = std::move(net);
  signature_ = std::move(signature);
  return {};
}

Result<std::vector<runtime::Tensor>> OnnxBackend::execute(const runtime::ExecuteRequest& request) {
  if (!net_) return failed_precondition("onnx: no model is loaded");
  MAAS_ASSIGN_OR_RETURN(auto inputs, bind_inputs(kName, request, signature_.inputs));
  MAAS_ASSIGN_OR_RETURN(auto wanted, select_outputs(kName, request.outputs, signature_.outputs));
  std::vector<cv::String> output_names;
  for (size_t index : wanted) output_names.push_back(signature_.outputs[index].name);

  std::vector<std::vector<int>> sizes(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const runtime::Tensor& input = *inputs[i];
    const runtime::TensorSpec& spec = signature_.inputs[i];
    if (input.datatype != runtime::DataType::kFp32) {
      return invalid_argument("onnx: input '" + spec.name + "' has datatype " +
                              std::string(runtime::datatype_name(input.datatype)) + "; the model takes FP32");
    }
    MAAS_RETURN_IF_ERROR(check_shape(kName, input, spec));
    if (input.shape.empty()) {
      return invalid_argument("onnx: input '" + spec.name + "' is a scalar; OpenCV needs rank >= 1");
    }
    for (int64_t d : input.shape) {
      if (d > INT_MAX) return invalid_argument("onnx: input '" + spec.name + "' has a dimension over INT_MAX");
      sizes[i].push_back(static_cast<int>(d));
    }
  }

  std::vector<runtime::Tensor> outputs;
  try {
    std::vector<std::byte> scratch;
    for (size_t i = 0; i < inputs.size(); ++i) {
      // A view, not a copy: setInput copies it into the net's own input blob (so `scratch` may be reused).
      cv::Mat blob(static_cast<int>(sizes[i].size()), sizes[i].data(), CV_32F,
                   const_cast<std::byte*>(aligned_data(*inputs[i], scratch)));
      net_->net.setInput(blob, signature_.inputs[i].name);
    }
    std::vector<cv::Mat> results;
    net_->net.forward(results, output_names);
    for (size_t i = 0; i < results.size(); ++i) {
      cv::Mat mat = results[i];
      if (mat.type() != CV_32F) mat.convertTo(mat, CV_32F);
      if (!mat.isContinuous()) mat = mat.clone();
      runtime::Tensor out;
      out.name = output_names[i];
      out.datatype = runtime::DataType::kFp32;
      for (int d = 0; d < mat.dims; ++d) out.shape.push_back(mat.size[d]);
      // The net reuses its output blobs on the next forward pass, so the values are copied out.
      out.data = runtime::Buffer::copy_of(mat.data, mat.total() * sizeof(float));
      outputs.push_back(std::move(out));
    }
  } catch (const cv::Exception& e) {
    return invalid_argument("onnx: OpenCV DNN failed to run the graph on inputs " + describe_inputs(inputs) + ": " +
                            clean_message(e.err.empty() ? e.what() : e.err));
  } catch (const std::exception& e) {
    return invalid_argument("onnx: OpenCV DNN failed to run the graph on inputs " + describe_inputs(inputs) + ": " +
                            e.what());
  }
  return outputs;
}

}  // namespace maas::backends
