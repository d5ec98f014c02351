// What the XGBoost inspector learns from a model in any of its three encodings, and one reader per encoding.
// Internal to src/formats.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "formats/file_reader.h"

namespace maas::formats {

// The facts a signature needs, whatever the encoding.
struct XgboostModel {
  std::string objective;
  std::string booster;  // "gbtree", "gblinear" or "dart"
  int64_t num_feature = 0;
  int64_t num_class = 0;
  int64_t num_target = 1;
  int64_t num_trees = 0;      // 0 for gblinear
  nlohmann::json base_score;  // a number; an array for multi-target models of XGBoost >= 2
  std::string version;        // "1.7.4"; empty when the file does not record it
};

// Read a whole model; errors are INVALID_ARGUMENT without the format prefix (inspect_xgboost adds it).
// `ubjson` picks Universal Binary JSON over text JSON.
Result<XgboostModel> read_xgboost_json(FileReader& file, bool ubjson);
// The deprecated binary format written by save_model("*.bin"/"*.model") and save_raw("deprecated").
Result<XgboostModel> read_xgboost_binary(FileReader& file);

}  // namespace maas::formats
