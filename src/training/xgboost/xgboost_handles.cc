#include "training/xgboost/xgboost_handles.h"

#include <xgboost/c_api.h>

#include "backends/xgboost/last_error.h"

namespace maas::training {

std::string xgboost_last_error() { return xgboost_api::last_error(); }

namespace {

Status failed(const std::string& what) { return invalid_argument("xgboost: " + what + ": " + xgboost_last_error()); }

struct FeatureInfo {
  std::vector<const char*> names, types;
};

FeatureInfo feature_info(const TrainingTable& table) {
  FeatureInfo info;
  for (const FeatureColumn& f : table.features) {
    info.names.push_back(f.name.c_str());
    info.types.push_back(f.categorical ? "c" : "q");
  }
  return info;
}

}  // namespace

Result<DMatrix> DMatrix::from_table(const TrainingTable& table) {
  const size_t columns = table.features.size();
  DMatrixHandle raw = nullptr;
  if (XGDMatrixCreateFromMat(table.values.data(), table.rows(), columns, std::numeric_limits<float>::quiet_NaN(),
                             &raw) != 0) {
    return failed("cannot build the training matrix");
  }
  DMatrix out;
  out.handle_ = std::shared_ptr<void>(raw, XGDMatrixFree);
  FeatureInfo info = feature_info(table);
  if (XGDMatrixSetStrFeatureInfo(raw, "feature_name", info.names.data(), info.names.size()) != 0 ||
      XGDMatrixSetStrFeatureInfo(raw, "feature_type", info.types.data(), info.types.size()) != 0) {
    return failed("cannot name the features");
  }
  if (XGDMatrixSetFloatInfo(raw, "label", table.label.data(), table.label.size()) != 0) {
    return failed("cannot set the label");
  }
  if (!table.weight.empty() && XGDMatrixSetFloatInfo(raw, "weight", table.weight.data(), table.weight.size()) != 0) {
    return failed("cannot set the weights");
  }
  if (!table.group_sizes.empty() && XGDMatrixSetGroup(raw, table.group_sizes.data(), table.group_sizes.size()) != 0) {
    return failed("cannot set the query groups");
  }
  return out;
}

Result<Booster> Booster::create(const std::vector<const DMatrix*>& matrices) {
  std::vector<DMatrixHandle> handles;
  handles.reserve(matrices.size());
  for (const DMatrix* m : matrices) handles.push_back(m->handle());
  BoosterHandle raw = nullptr;
  if (XGBoosterCreate(handles.data(), handles.size(), &raw) != 0) return failed("cannot create a booster");
  Booster out;
  out.handle_ = std::shared_ptr<void>(raw, XGBoosterFree);
  return out;
}

Status Booster::set_param(const std::string& name, const std::string& value) {
  if (XGBoosterSetParam(handle_.get(), name.c_str(), value.c_str()) != 0) return failed("parameter " + name);
  return {};
}

Status Booster::describe_features(const TrainingTable& table) {
  FeatureInfo info = feature_info(table);
  if (XGBoosterSetStrFeatureInfo(handle_.get(), "feature_name", info.names.data(), info.names.size()) != 0 ||
      XGBoosterSetStrFeatureInfo(handle_.get(), "feature_type", info.types.data(), info.types.size()) != 0) {
    return failed("cannot name the model's features");
  }
  return {};
}

Status Booster::load(std::string_view model_bytes) {
  if (XGBoosterLoadModelFromBuffer(handle_.get(), model_bytes.data(), model_bytes.size()) != 0) {
    return failed("cannot load the checkpointed model");
  }
  return {};
}

Result<std::string> Booster::save(const char* format) const {
  const std::string config = std::string(R"({"format": ")") + format + "\"}";
  bst_ulong length = 0;
  const char* bytes = nullptr;
  if (XGBoosterSaveModelToBuffer(handle_.get(), config.c_str(), &length, &bytes) != 0) {
    return failed("cannot save the model");
  }
  return std::string(bytes, length);
}

Status Booster::update(int round, const DMatrix& train) {
  if (XGBoosterUpdateOneIter(handle_.get(), round, train.handle()) != 0) {
    return failed("round " + std::to_string(round));
  }
  return {};
}

Result<std::string> Booster::evaluate(int round, const std::vector<const DMatrix*>& matrices,
                                      const std::vector<std::string>& names) {
  std::vector<DMatrixHandle> handles;
  std::vector<const char*> labels;
  for (size_t i = 0; i < matrices.size(); ++i) {
    handles.push_back(matrices[i]->handle());
    labels.push_back(names[i].c_str());
  }
  const char* line = nullptr;
  if (XGBoosterEvalOneIter(handle_.get(), round, handles.data(), labels.data(), handles.size(), &line) != 0) {
    return failed("cannot evaluate round " + std::to_string(round));
  }
  return std::string(line);
}

Result<int> Booster::boosted_rounds() const {
  int rounds = 0;
  if (XGBoosterBoostedRounds(handle_.get(), &rounds) != 0) return failed("cannot count the rounds");
  return rounds;
}

Result<Booster> Booster::first_rounds(int rounds) const {
  BoosterHandle raw = nullptr;
  if (XGBoosterSlice(handle_.get(), 0, rounds, 1, &raw) != 0) return failed("cannot keep the best rounds");
  Booster out;
  out.handle_ = std::shared_ptr<void>(raw, XGBoosterFree);
  return out;
}

Result<std::vector<double>> Booster::predict(const DMatrix& matrix, size_t* columns, int rounds) const {
  const std::string config = R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": )" +
                             std::to_string(rounds) + R"(, "strict_shape": false})";
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* values = nullptr;
  if (XGBoosterPredictFromDMatrix(handle_.get(), matrix.handle(), config.c_str(), &shape, &dims, &values) != 0) {
    return failed("cannot predict");
  }
  size_t total = 1;
  for (bst_ulong d = 0; d < dims; ++d) total *= shape[d];
  *columns = dims >= 2 ? shape[dims - 1] : 1;
  return std::vector<double>(values, values + total);
}

Result<std::vector<std::pair<std::string, double>>> Booster::feature_scores(const std::string& type) const {
  const std::string config = R"({"importance_type": ")" + type + R"("})";
  bst_ulong names_length = 0, dims = 0;
  const char** names = nullptr;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  if (XGBoosterFeatureScore(handle_.get(), config.c_str(), &names_length, &names, &dims, &shape, &scores) != 0) {
    return failed("cannot score the features");
  }
  std::vector<std::pair<std::string, double>> out;
  for (bst_ulong k = 0; k < names_length; ++k) out.emplace_back(names[k], scores[k]);
  return out;
}

}  // namespace maas::training
