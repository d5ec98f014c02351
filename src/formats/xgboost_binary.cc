// XGBoost's deprecated binary model format (save_model("*.bin"), save_raw("deprecated")): a fixed header, the
// objective and booster names, the booster's trees or weights, then string attributes. The layout below was read
// off files written by XGBoost 1.7.4; older versions write the same layout, without the "binf" magic before 1.0.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include "formats/inspectors.h"
#include "formats/xgboost_model.h"

namespace maas::formats {
namespace {

constexpr std::string_view kMagic = "binf";
// LearnerModelParamLegacy: base_score f32, num_feature u32, num_class i32, contain_extra_attrs i32,
// contain_eval_metrics i32, major_version u32, minor_version u32, num_target u32, boost_from_average i32,
// reserved i32[25].
constexpr uint64_t kLearnerParamBytes = 136;
// GBTreeModelParam: num_trees i32, num_roots i32, num_feature i32, pad i32, num_pbuffer i64,
// num_output_group i32, size_leaf_vector i32, reserved i32[32].
constexpr uint64_t kTreeModelParamBytes = 160;
// TreeParam: num_roots, num_nodes, num_deleted, max_depth, num_feature, size_leaf_vector, reserved[31] (all i32).
constexpr uint64_t kTreeParamBytes = 148;
// Per node: Node {parent, left, right, split index: i32/u32; leaf value or split condition: f32} and
// RTreeNodeStat {loss_chg, sum_hess, base_weight: f32; leaf_child_cnt: i32}.
constexpr uint64_t kNodeBytes = 20 + 16;
// GBLinearModelParam: num_feature u32, num_output_group i32, reserved i32[32].
constexpr uint64_t kLinearModelParamBytes = 136;
constexpr uint64_t kMaxNameBytes = 256;
constexpr int64_t kMaxClasses = 1 << 20;

// Reads a dmlc string: a u64 length, then the bytes.
Result<std::string> read_name(FileReader& file, std::string_view what) {
  uint64_t at = file.position();
  MAAS_ASSIGN_OR_RETURN(uint64_t length, file.read_le<uint64_t>());
  if (length == 0 || length > kMaxNameBytes) {
    return invalid_argument("the " + std::string(what) + " name at byte " + std::to_string(at) + " has length " +
                            std::to_string(length) + "; this is not an XGBoost binary model");
  }
  MAAS_ASSIGN_OR_RETURN(std::string name, file.read_string(length));
  for (unsigned char c : name) {
    bool allowed = std::isalnum(c) || c == '_' || c == ':' || c == '-' || c == '.';
    if (!allowed) {
      return invalid_argument("the " + std::string(what) + " name at byte " + std::to_string(at) + " is " +
                              in_quotes(name) + ", not a name; this is not an XGBoost binary model");
    }
  }
  return name;
}

// Skips a dmlc vector of fixed-size elements: a u64 count, then the elements.
Status skip_vector(FileReader& file, uint64_t element_bytes, std::string_view what, uint64_t* count_out) {
  uint64_t at = file.position();
  MAAS_ASSIGN_OR_RETURN(uint64_t count, file.read_le<uint64_t>());
  if (count > file.remaining() / element_bytes) {
    return invalid_argument(std::string(what) + " at byte " + std::to_string(at) + " claims " + std::to_string(count) +
                            " elements, more than the rest of the file holds");
  }
  if (count_out) *count_out = count;
  return file.skip(count * element_bytes);
}

Status read_trees(FileReader& file, XgboostModel& model) {
  uint64_t at = file.position();
  MAAS_ASSIGN_OR_RETURN(int32_t num_trees, file.read_le<int32_t>());
  if (num_trees < 0 || static_cast<uint64_t>(num_trees) > file.remaining() / kTreeParamBytes) {
    return invalid_argument("the tree count at byte " + std::to_string(at) + " is " + std::to_string(num_trees) +
                            ", which the file cannot hold");
  }
  MAAS_RETURN_IF_ERROR(file.skip(kTreeModelParamBytes - 4));
  for (int32_t t = 0; t < num_trees; ++t) {
    uint64_t tree_at = file.position();
    std::string where = "tree #" + std::to_string(t) + " at byte " + std::to_string(tree_at);
    MAAS_ASSIGN_OR_RETURN(int32_t num_roots, file.read_le<int32_t>());
    MAAS_ASSIGN_OR_RETURN(int32_t num_nodes, file.read_le<int32_t>());
    MAAS_ASSIGN_OR_RETURN(int32_t num_deleted, file.read_le<int32_t>());
    if (num_roots != 1 || num_nodes < 1 || num_deleted < 0 || num_deleted >= num_nodes) {
      return invalid_argument(where + " has an invalid header (roots " + std::to_string(num_roots) + ", nodes " +
                              std::to_string(num_nodes) + ", deleted " + std::to_string(num_deleted) + ")");
    }
    MAAS_RETURN_IF_ERROR(file.skip(kTreeParamBytes - 12));
    if (static_cast<uint64_t>(num_nodes) > file.remaining() / kNodeBytes) {
      return invalid_argument(where + " has " + std::to_string(num_nodes) + " nodes, past the end of the file");
    }
    MAAS_RETURN_IF_ERROR(file.skip(static_cast<uint64_t>(num_nodes) * kNodeBytes));
  }
  // tree_info: the output group each tree adds to.
  int64_t groups = std::max<int64_t>({1, model.num_class, model.num_target});
  for (int32_t t = 0; t < num_trees; ++t) {
    MAAS_ASSIGN_OR_RETURN(int32_t group, file.read_le<int32_t>());
    if (group < 0 || group >= groups) {
      return invalid_argument("tree #" + std::to_string(t) + " belongs to output group " + std::to_string(group) +
                              ", but the model has " + std::to_string(groups));
    }
  }
  model.num_trees = num_trees;
  return {};
}

Status read_booster(FileReader& file, XgboostModel& model) {
  if (model.booster == "gbtree") return read_trees(file, model);
  if (model.booster == "dart") {
    MAAS_RETURN_IF_ERROR(read_trees(file, model));
    // Dart keeps one drop weight per tree after the trees.
    if (model.num_trees == 0) return {};
    uint64_t weights = 0;
    MAAS_RETURN_IF_ERROR(skip_vector(file, 4, "the dart tree weights", &weights));
    if (weights != static_cast<uint64_t>(model.num_trees)) {
      return invalid_argument("the dart model has " + std::to_string(model.num_trees) + " trees but " +
                              std::to_string(weights) + " tree weights");
    }
    return {};
  }
  if (model.booster == "gblinear") {
    MAAS_RETURN_IF_ERROR(file.skip(kLinearModelParamBytes));
    uint64_t weights = 0;
    MAAS_RETURN_IF_ERROR(skip_vector(file, 4, "the linear weights", &weights));
    // One weight per feature plus a bias, per output group.
    uint64_t groups = static_cast<uint64_t>(std::max<int64_t>({1, model.num_class, model.num_target}));
    if (weights != (static_cast<uint64_t>(model.num_feature) + 1) * groups) {
      return invalid_argument("the linear model has " + std::to_string(weights) + " weights; " +
                              std::to_string(model.num_feature) + " features and " + std::to_string(groups) +
                              " output groups need " +
                              std::to_string((static_cast<uint64_t>(model.num_feature) + 1) * groups));
    }
    return {};
  }
  return invalid_argument("unknown booster " + in_quotes(model.booster) + " (expected gbtree, gblinear or dart)");
}

// The attribute list: a u64 count of (key, value) string pairs.
Status skip_attributes(FileReader& file) {
  uint64_t at = file.position();
  MAAS_ASSIGN_OR_RETURN(uint64_t count, file.read_le<uint64_t>());
  if (count > file.remaining() / 16) {
    return invalid_argument("the attribute list at byte " + std::to_string(at) + " claims " + std::to_string(count) +
                            " entries, more than the rest of the file holds");
  }
  for (uint64_t i = 0; i < 2 * count; ++i) {
    uint64_t string_at = file.position();
    MAAS_ASSIGN_OR_RETURN(uint64_t length, file.read_le<uint64_t>());
    if (length > file.remaining()) {
      return invalid_argument("attribute string at byte " + std::to_string(string_at) + " claims " +
                              std::to_string(length) + " bytes, past the end of the file");
    }
    MAAS_RETURN_IF_ERROR(file.skip(length));
  }
  return {};
}

}  // namespace

Result<XgboostModel> read_xgboost_binary(FileReader& file) {
  MAAS_RETURN_IF_ERROR(file.seek(0));
  MAAS_ASSIGN_OR_RETURN(std::string magic, file.read_string(std::min<uint64_t>(4, file.size())));
  // Models written before XGBoost 1.0 have no magic and start with the header itself.
  if (magic != kMagic) MAAS_RETURN_IF_ERROR(file.seek(0));
  if (magic == "bs64") return invalid_argument("base64-encoded models (\"bs64\") are not supported");
  uint64_t header_at = file.position();
  MAAS_RETURN_IF_ERROR(with_context(file.check_remaining(kLearnerParamBytes), "the header is truncated"));

  XgboostModel model;
  MAAS_ASSIGN_OR_RETURN(float base_score, file.read_le<float>());
  MAAS_ASSIGN_OR_RETURN(uint32_t num_feature, file.read_le<uint32_t>());
  MAAS_ASSIGN_OR_RETURN(int32_t num_class, file.read_le<int32_t>());
  MAAS_ASSIGN_OR_RETURN(int32_t extra_attributes, file.read_le<int32_t>());
  MAAS_ASSIGN_OR_RETURN(int32_t eval_metrics, file.read_le<int32_t>());
  MAAS_ASSIGN_OR_RETURN(uint32_t major, file.read_le<uint32_t>());
  MAAS_ASSIGN_OR_RETURN(uint32_t minor, file.read_le<uint32_t>());
  MAAS_ASSIGN_OR_RETURN(uint32_t num_target, file.read_le<uint32_t>());
  std::string where = "in the header at byte " + std::to_string(header_at) + ": ";
  if (!std::isfinite(base_score)) return invalid_argument(where + "base_score is not a finite number");
  if (num_feature == 0 || num_feature > static_cast<uint32_t>(INT32_MAX)) {
    return invalid_argument(where + "num_feature is " + std::to_string(num_feature));
  }
  if (num_class < 0 || num_class > kMaxClasses)
    return invalid_argument(where + "num_class is " + std::to_string(num_class));
  if ((extra_attributes != 0 && extra_attributes != 1) || (eval_metrics != 0 && eval_metrics != 1)) {
    return invalid_argument(where + "the attribute flags are not 0 or 1; this is not an XGBoost binary model");
  }
  if (major > 100 || minor > 1000 || num_target > static_cast<uint32_t>(kMaxClasses)) {
    return invalid_argument(where + "version " + std::to_string(major) + "." + std::to_string(minor) +
                            " and num_target " + std::to_string(num_target) + " are not plausible");
  }
  MAAS_RETURN_IF_ERROR(file.seek(header_at + kLearnerParamBytes));
  // The shortest decimal that reads back as this float ("0.3", not 0.30000001192092896).
  char shortest[32];
  auto printed = std::to_chars(shortest, shortest + sizeof(shortest), base_score);
  double widened = base_score;
  std::from_chars(shortest, printed.ptr, widened);
  model.base_score = widened;
  model.num_feature = num_feature;
  model.num_class = num_class;
  // Files written before num_target existed hold 0 there.
  model.num_target = std::max<uint32_t>(num_target, 1);
  // Before 1.0 the version fields were reserved and hold 0.
  if (major > 0) model.version = std::to_string(major) + "." + std::to_string(minor);

  MAAS_ASSIGN_OR_RETURN(model.objective, read_name(file, "objective"));
  if (model.objective.find(':') == std::string::npos) {
    return invalid_argument("the objective " + in_quotes(model.objective) +
                            " is not an XGBoost objective (they look like 'binary:logistic')");
  }
  MAAS_ASSIGN_OR_RETURN(model.booster, read_name(file, "booster"));
  MAAS_RETURN_IF_ERROR(read_booster(file, model));
  if (extra_attributes != 0) MAAS_RETURN_IF_ERROR(skip_attributes(file));
  // XGBoost's loader ignores anything after the attributes (pre-1.0 files may hold metric names there).
  return model;
}

}  // namespace maas::formats
