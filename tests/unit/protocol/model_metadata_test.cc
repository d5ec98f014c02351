#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "protocol/kserve_v2.h"

namespace maas::protocol {
namespace {

using runtime::DataType;

TEST(ModelMetadataJson, ListsNameVersionsPlatformAndTensors) {
  runtime::ModelSignature signature;
  signature.inputs = {{"features", DataType::kFp32, {-1, 4}}};
  signature.outputs = {{"label", DataType::kInt64, {-1}}, {"names", DataType::kBytes, {}}};
  const std::string json = model_metadata_json("iris", {"1", "2"}, "xgboost", signature);
  EXPECT_EQ(json, R"({"name":"iris","versions":["1","2"],"platform":"xgboost",)"
                  R"("inputs":[{"name":"features","datatype":"FP32","shape":[-1,4]}],)"
                  R"("outputs":[{"name":"label","datatype":"INT64","shape":[-1]},)"
                  R"({"name":"names","datatype":"BYTES","shape":[]}]})");
  EXPECT_TRUE(nlohmann::json::accept(json));
}

TEST(ModelMetadataJson, EscapesNames) {
  const std::string json = model_metadata_json("a\"b", {}, "onnx", {});
  EXPECT_EQ(json, R"({"name":"a\"b","versions":[],"platform":"onnx","inputs":[],"outputs":[]})");
}

}  // namespace
}  // namespace maas::protocol
