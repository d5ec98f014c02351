// XGBoost: tells its three encodings apart (JSON, UBJSON, deprecated binary) and turns what the encoding's reader
// found into a signature: one FP32 matrix in, one FP32 vector or matrix out.
#include <optional>
#include <string>

#include "formats/inspectors.h"
#include "formats/xgboost_model.h"

namespace maas::formats {
namespace {

enum class Encoding { kJson, kUbjson, kBinary };

std::string_view encoding_name(Encoding encoding) {
  switch (encoding) {
    case Encoding::kJson:
      return "xgboost-json";
    case Encoding::kUbjson:
      return "xgboost-ubjson";
    case Encoding::kBinary:
      return "xgboost-binary";
  }
  return "xgboost";
}

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// JSON: '{' then whitespace or '"'. UBJSON: '{' then the type marker of the first key's length (XGBoost writes
// 'L'), or '$'/'#' for an optimized object. Binary: the "binf" magic (XGBoost >= 1.0).
std::optional<Encoding> detect_encoding(std::string_view head) {
  if (head.substr(0, 4) == "binf") return Encoding::kBinary;
  size_t i = 0;
  while (i < head.size() && is_json_space(head[i])) ++i;
  if (i >= head.size() || head[i] != '{') return std::nullopt;
  // UBJSON has no leading whitespace.
  if (i == 0 && head.size() > 1 && std::string_view("iUIlL$#").find(head[1]) != std::string_view::npos) {
    return Encoding::kUbjson;
  }
  ++i;
  if (i == head.size()) return Encoding::kJson;
  if (head[i] == '"' || is_json_space(head[i])) return Encoding::kJson;
  return std::nullopt;
}

ArtifactInfo describe(const XgboostModel& model, Encoding encoding) {
  ArtifactInfo info;
  info.framework = Framework::kXgboost;
  info.format = encoding_name(encoding);
  info.inputs.push_back({"input", "FP32", {-1, model.num_feature}});
  // multi:softmax predicts a class index per row; multi:softprob (and multi-target models) a row of values.
  std::vector<int64_t> output_shape = {-1};
  if (model.num_class > 1 && model.objective != "multi:softmax") {
    output_shape.push_back(model.num_class);
  } else if (model.num_class <= 1 && model.num_target > 1) {
    output_shape.push_back(model.num_target);
  }
  info.outputs.push_back({"output", "FP32", output_shape});
  auto& details = info.details;
  details["objective"] = model.objective;
  details["booster"] = model.booster;
  details["num_feature"] = model.num_feature;
  details["num_class"] = model.num_class;
  if (model.num_target > 1) details["num_target"] = model.num_target;
  details["num_trees"] = model.num_trees;
  details["base_score"] = model.base_score;
  if (!model.version.empty()) details["xgboost_version"] = model.version;
  return info;
}

}  // namespace

bool looks_like_xgboost(std::string_view head) { return detect_encoding(head).has_value(); }

Result<ArtifactInfo> inspect_xgboost(FileReader& file) {
  MAAS_RETURN_IF_ERROR(file.seek(0));
  MAAS_ASSIGN_OR_RETURN(std::string head, file.read_string(std::min<uint64_t>(64, file.size())));
  // Without a recognisable start, try the pre-1.0 binary layout, whose strict header checks reject other files.
  Encoding encoding = detect_encoding(head).value_or(Encoding::kBinary);
  Result<XgboostModel> model = encoding == Encoding::kBinary ? read_xgboost_binary(file)
                                                             : read_xgboost_json(file, encoding == Encoding::kUbjson);
  if (!model.ok() && !detect_encoding(head)) {
    return invalid_argument(
        "xgboost: not an XGBoost model: it is not JSON or UBJSON (no leading '{'), and as the "
        "binary format: " +
        model.status().message());
  }
  if (!model.ok()) return with_context(model.status(), encoding_name(encoding));
  if (model->num_feature <= 0 || model->num_feature > INT32_MAX) {
    return invalid_argument(std::string(encoding_name(encoding)) + ": num_feature is " +
                            std::to_string(model->num_feature) + "; it must be between 1 and 2^31-1");
  }
  if (model->num_class < 0 || model->num_target < 1) {
    return invalid_argument(std::string(encoding_name(encoding)) + ": num_class (" + std::to_string(model->num_class) +
                            ") or num_target (" + std::to_string(model->num_target) + ") is out of range");
  }
  if (model->booster != "gbtree" && model->booster != "gblinear" && model->booster != "dart") {
    return invalid_argument(std::string(encoding_name(encoding)) + ": unknown booster " + in_quotes(model->booster) +
                            " (expected gbtree, gblinear or dart)");
  }
  return describe(*model, encoding);
}

}  // namespace maas::formats
