// XgboostBackend: loads a booster through libxgboost's C API and predicts in place from the request's bytes.
#include "backends/xgboost/xgboost_backend.h"

#include <xgboost/c_api.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "backends/artifact.h"
#include "backends/input_binding.h"
#include "backends/xgboost/last_error.h"

namespace maas::backends {
namespace {

constexpr std::string_view kName = "xgboost";
constexpr const char* kInputName = "input";
constexpr const char* kOutputName = "output";

// XGBoosterPredictFromDense's "type" codes (xgboost 1.7 c_api.h, XGBoosterPredictFromDMatrix).
constexpr int kPredictValue = 0;
constexpr int kPredictMargin = 1;
constexpr int kPredictContribution = 2;  // SHAP values: Booster.predict(pred_contribs=True)
constexpr int kPredictLeaf = 6;

std::string last_error() { return xgboost_api::last_error(); }

Status xgboost_error(const std::string& what) {
  return invalid_argument(std::string(kName) + ": " + what + ": " + last_error());
}

int64_t parse_count(const nlohmann::json& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end()) return 0;
  // Learner parameters are stored as strings ("3"); accept numbers too.
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) return std::stoll(it->get<std::string>());
  return 0;
}

}  // namespace

XgboostBackend::~XgboostBackend() {
  if (booster_) XGBoosterFree(booster_);
}

Status XgboostBackend::load(const std::filesystem::path& artifact, const runtime::BackendConfig& config) {
  if (booster_) return failed_precondition("xgboost: a model is already loaded");
  MAAS_RETURN_IF_ERROR(inspect_before_load(kName, artifact, formats::Framework::kXgboost).status());
  // From a buffer, libxgboost tells JSON, UBJSON and the legacy binary format apart by their first bytes; from a
  // path it would trust the file extension, which a content-addressed blob does not have.
  std::ifstream in(artifact, std::ios::binary);
  if (!in) return invalid_argument("xgboost: cannot open '" + artifact.string() + "'");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return invalid_argument("xgboost: cannot read '" + artifact.string() + "'");

  BoosterHandle handle = nullptr;
  if (XGBoosterCreate(nullptr, 0, &handle) != 0) return internal_error("xgboost: " + last_error());
  // Freed on every early return; kept once the model is fully described.
  std::unique_ptr<void, int (*)(BoosterHandle)> owned(handle, XGBoosterFree);
  if (XGBoosterLoadModelFromBuffer(handle, bytes.data(), bytes.size()) != 0) {
    return xgboost_error("cannot load '" + artifact.string() + "'");
  }
  threads_ = config.threads;
  if (XGBoosterSetParam(handle, "nthread", std::to_string(threads_).c_str()) != 0) {
    return xgboost_error("cannot set nthread");
  }

  bst_ulong num_feature = 0;
  if (XGBoosterGetNumFeature(handle, &num_feature) != 0) return xgboost_error("cannot read num_feature");
  bst_ulong config_length = 0;
  const char* config_json = nullptr;
  if (XGBoosterSaveJsonConfig(handle, &config_length, &config_json) != 0) return xgboost_error("cannot read config");

  std::string objective;
  int64_t num_class = 0;
  int64_t num_target = 0;
  try {
    auto learner = nlohmann::json::parse(config_json, config_json + config_length).at("learner");
    objective = learner.at("objective").at("name").get<std::string>();
    const auto& params = learner.at("learner_model_param");
    num_class = parse_count(params, "num_class");
    num_target = parse_count(params, "num_target");
  } catch (const std::exception& e) {
    return internal_error(std::string("xgboost: unexpected booster config: ") + e.what());
  }

  signature_.inputs = {{kInputName, runtime::DataType::kFp32, {-1, static_cast<int64_t>(num_feature)}}};
  // The default ("probability") output's shape as xgboost returns it without strict_shape: one column per class
  // for softprob, one per target for multi-output regression, otherwise a vector (multi:softmax's class index).
  std::vector<int64_t> output_shape = {-1};
  if (num_class > 1 && objective != "multi:softmax") {
    output_shape = {-1, num_class};
  } else if (num_target > 1) {
    output_shape = {-1, num_target};
  }
  signature_.outputs = {{kOutputName, runtime::DataType::kFp32, output_shape}};
  signature_.batchable = true;
  booster_ = owned.release();
  return {};
}

Result<std::vector<runtime::Tensor>> XgboostBackend::execute(const runtime::ExecuteRequest& request) {
  if (!booster_) return failed_precondition("xgboost: no model is loaded");
  MAAS_ASSIGN_OR_RETURN(auto inputs, bind_inputs(kName, request, signature_.inputs));
  MAAS_RETURN_IF_ERROR(select_outputs(kName, request.outputs, signature_.outputs).status());
  const runtime::Tensor& input = *inputs[0];

  const char* typestr = nullptr;
  if (input.datatype == runtime::DataType::kFp32) {
    typestr = "<f4";
  } else if (input.datatype == runtime::DataType::kFp64) {
    // libxgboost reads doubles itself and narrows them to float, exactly as it does for a numpy float64 array.
    typestr = "<f8";
  } else {
    return invalid_argument("xgboost: input '" + signature_.inputs[0].name + "' has datatype " +
                            std::string(runtime::datatype_name(input.datatype)) + "; the model takes FP32 or FP64");
  }
  MAAS_RETURN_IF_ERROR(check_shape(kName, input, signature_.inputs[0]));

  int type = kPredictValue;
  if (auto it = request.parameters.find("output"); it != request.parameters.end()) {
    if (it->second == "margin") {
      type = kPredictMargin;
    } else if (it->second == "leaf") {
      type = kPredictLeaf;
    } else if (it->second == "contribs") {
      type = kPredictContribution;
    } else if (it->second != "probability") {
      return invalid_argument("xgboost: parameter 'output' is '" + it->second +
                              "'; use 'probability', 'margin', 'contribs' or 'leaf'");
    }
  }

  std::vector<std::byte> scratch;
  const std::byte* data = aligned_data(input, scratch);
  nlohmann::json array = {
      {"data", {reinterpret_cast<uintptr_t>(data), true}},
      {"shape", input.shape},
      {"typestr", typestr},
      {"version", 3},
  };
  // "missing" must be NaN, which JSON cannot spell; libxgboost's reader accepts the bare token NaN.
  std::string predict_config = R"({"type": )" + std::to_string(type) +
                               R"(, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
                               R"("strict_shape": false, "cache_id": 0, "missing": NaN})";
  std::string array_interface = array.dump();

  const bst_ulong* out_shape = nullptr;
  bst_ulong out_dim = 0;
  const float* out_result = nullptr;
  if (type == kPredictValue || type == kPredictMargin) {
    // In place: libxgboost reads the request's bytes where they are.
    if (XGBoosterPredictFromDense(booster_, array_interface.c_str(), predict_config.c_str(), nullptr, &out_shape,
                                  &out_dim, &out_result) != 0) {
      return xgboost_error("prediction failed");
    }
  } else {
    // In-place prediction cannot return leaf indices or contributions (libxgboost 1.7 rejects those types), so
    // they go through a DMatrix, which copies the input.
    std::string matrix_config = R"({"missing": NaN, "nthread": )" + std::to_string(threads_) + "}";
    DMatrixHandle matrix = nullptr;
    if (XGDMatrixCreateFromDense(array_interface.c_str(), matrix_config.c_str(), &matrix) != 0) {
      return xgboost_error("cannot read input '" + signature_.inputs[0].name + "'");
    }
    std::unique_ptr<void, int (*)(DMatrixHandle)> owned_matrix(matrix, XGDMatrixFree);
    if (XGBoosterPredictFromDMatrix(booster_, matrix, predict_config.c_str(), &out_shape, &out_dim, &out_result) != 0) {
      return xgboost_error("prediction failed");
    }
  }

  runtime::Tensor output;
  output.name = kOutputName;
  output.datatype = runtime::DataType::kFp32;
  size_t count = 1;
  for (bst_ulong i = 0; i < out_dim; ++i) {
    output.shape.push_back(static_cast<int64_t>(out_shape[i]));
    count *= static_cast<size_t>(out_shape[i]);
  }
  // The result lives in the booster and is overwritten by the next prediction, so it is copied out.
  output.data = runtime::Buffer::copy_of(out_result, count * sizeof(float));
  std::vector<runtime::Tensor> outputs;
  outputs.push_back(std::move(output));
  return outputs;
}

}  // namespace maas::backends
