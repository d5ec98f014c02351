#include <gtest/gtest.h>

#include "formats/format.h"
#include "test_bytes.h"

namespace maas::formats {
namespace {

using nlohmann::json;
using testing::Bytes;
using testing::failed_with;
using testing::write_temp;

// The shape of a model saved by XGBoost 1.7 with save_model("m.json"), trimmed to a few trees.
json tree() {
  return {{"base_weights", {0.5, -0.1, 0.2}},
          {"left_children", {1, -1, -1}},
          {"right_children", {2, -1, -1}},
          {"split_conditions", {1.5, 0.1, 0.2}},
          {"split_indices", {3, 0, 0}},
          {"tree_param", {{"num_deleted", "0"}, {"num_feature", "30"}, {"num_nodes", "3"}}}};
}

json gbtree_model(int trees, std::string_view objective = "binary:logistic", int num_class = 0) {
  json model = {{"learner",
                 {{"attributes", json::object()},
                  {"feature_names", json::array()},
                  {"gradient_booster",
                   {{"model",
                     {{"gbtree_model_param", {{"num_parallel_tree", "1"}, {"num_trees", std::to_string(trees)}}},
                      {"tree_info", json::array()},
                      {"trees", json::array()}}},
                    {"name", "gbtree"}}},
                  {"learner_model_param",
                   {{"base_score", "5E-1"},
                    {"num_class", std::to_string(num_class)},
                    {"num_feature", "30"},
                    {"num_target", "1"}}},
                  {"objective", {{"name", objective}, {"reg_loss_param", {{"scale_pos_weight", "1"}}}}}}},
                {"version", {1, 7, 4}}};
  for (int i = 0; i < trees; ++i) model["learner"]["gradient_booster"]["model"]["trees"].push_back(tree());
  return model;
}

Result<ArtifactInfo> inspect(std::string_view name, const std::string& bytes) {
  return inspect_artifact(write_temp(name, bytes), Framework::kXgboost);
}

TEST(XgboostJson, DescribesABinaryClassifier) {
  auto info = inspect_artifact(write_temp("binary.json", gbtree_model(3).dump(2)));  // detected
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->framework, Framework::kXgboost);
  EXPECT_EQ(info->format, "xgboost-json");
  ASSERT_EQ(info->inputs.size(), 1u);
  EXPECT_EQ(info->inputs[0].name, "input");
  EXPECT_EQ(info->inputs[0].datatype, "FP32");
  EXPECT_EQ(info->inputs[0].shape, (std::vector<int64_t>{-1, 30}));
  ASSERT_EQ(info->outputs.size(), 1u);
  EXPECT_EQ(info->outputs[0].shape, (std::vector<int64_t>{-1}));
  EXPECT_EQ(info->details, json::parse(R"({
    "objective": "binary:logistic", "booster": "gbtree", "num_feature": 30, "num_class": 0, "num_trees": 3,
    "base_score": 0.5, "xgboost_version": "1.7.4"
  })"));
}

TEST(XgboostJson, MulticlassProbabilitiesAreAMatrixButSoftmaxLabelsAVector) {
  auto softprob = inspect("softprob.json", gbtree_model(6, "multi:softprob", 3).dump());
  ASSERT_TRUE(softprob.ok()) << softprob.status().to_string();
  EXPECT_EQ(softprob->outputs[0].shape, (std::vector<int64_t>{-1, 3}));
  EXPECT_EQ(softprob->details["num_class"], 3);
  auto softmax = inspect("softmax.json", gbtree_model(6, "multi:softmax", 3).dump());
  ASSERT_TRUE(softmax.ok()) << softmax.status().to_string();
  EXPECT_EQ(softmax->outputs[0].shape, (std::vector<int64_t>{-1}));
}

TEST(XgboostJson, ReadsDartGblinearAndXgboost2Fields) {
  json dart = gbtree_model(2);
  auto gbtree = dart["learner"]["gradient_booster"];
  dart["learner"]["gradient_booster"] = {{"gbtree", gbtree}, {"name", "dart"}, {"weight_drop", {1.0, 1.0}}};
  auto dart_info = inspect("dart.json", dart.dump());
  ASSERT_TRUE(dart_info.ok()) << dart_info.status().to_string();
  EXPECT_EQ(dart_info->details["booster"], "dart");
  EXPECT_EQ(dart_info->details["num_trees"], 2);

  json linear = gbtree_model(0);
  linear["learner"]["gradient_booster"] = {{"model", {{"weights", {0.1, 0.2}}}}, {"name", "gblinear"}};
  // XGBoost 2 writes base_score as a bracketed list.
  linear["learner"]["learner_model_param"]["base_score"] = "[2.5E-1]";
  auto linear_info = inspect("linear.json", linear.dump());
  ASSERT_TRUE(linear_info.ok()) << linear_info.status().to_string();
  EXPECT_EQ(linear_info->details["num_trees"], 0);
  EXPECT_EQ(linear_info->details["base_score"], 0.25);

  json multi_target = gbtree_model(2);
  multi_target["learner"]["learner_model_param"]["num_target"] = "2";
  multi_target["learner"]["learner_model_param"]["base_score"] = "[1E0,2E0]";
  auto multi_info = inspect("multitarget.json", multi_target.dump());
  ASSERT_TRUE(multi_info.ok()) << multi_info.status().to_string();
  EXPECT_EQ(multi_info->outputs[0].shape, (std::vector<int64_t>{-1, 2}));
  EXPECT_EQ(multi_info->details["base_score"], json::parse("[1.0, 2.0]"));
}

TEST(XgboostUbjson, DescribesTheSameModel) {
  std::vector<uint8_t> ubjson = json::to_ubjson(gbtree_model(4, "multi:softprob", 2), /*use_size=*/true);
  auto info = inspect_artifact(write_temp("model.ubj", std::string(ubjson.begin(), ubjson.end())));
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->format, "xgboost-ubjson");
  EXPECT_EQ(info->details["num_trees"], 4);
  EXPECT_EQ(info->outputs[0].shape, (std::vector<int64_t>{-1, 2}));
}

TEST(XgboostJson, RejectsMissingFieldsNamingThem) {
  struct Case {
    json::json_pointer field;
    std::string message;
  };
  for (const auto& c : std::vector<Case>{
           {json::json_pointer("/learner/learner_model_param/num_feature"),
            "the model has no learner.learner_model_param.num_feature"},
           {json::json_pointer("/learner/learner_model_param/base_score"),
            "the model has no learner.learner_model_param.base_score"},
           {json::json_pointer("/learner/objective/name"), "the model has no learner.objective.name"},
           {json::json_pointer("/learner/gradient_booster/name"), "the model has no learner.gradient_booster.name"},
       }) {
    json model = gbtree_model(1);
    model[c.field.parent_pointer()].erase(c.field.back());
    EXPECT_TRUE(failed_with(inspect("missing.json", model.dump()), "xgboost-json: " + c.message));
  }
  EXPECT_TRUE(failed_with(inspect("other.json", R"({"name": "not a model"})"),
                          "not an XGBoost model: it has none of learner.learner_model_param"));
}

TEST(XgboostJson, RejectsInconsistentOrInvalidValues) {
  json mismatch = gbtree_model(2);
  mismatch["learner"]["gradient_booster"]["model"]["gbtree_model_param"]["num_trees"] = "5";
  EXPECT_TRUE(failed_with(inspect("mismatch.json", mismatch.dump()),
                          "num_trees is 5 but learner.gradient_booster.model.trees holds 2 trees"));
  json booster = gbtree_model(1);
  booster["learner"]["gradient_booster"]["name"] = "forest";
  EXPECT_TRUE(failed_with(inspect("booster.json", booster.dump()), "unknown booster 'forest'"));
  json features = gbtree_model(1);
  features["learner"]["learner_model_param"]["num_feature"] = "thirty";
  EXPECT_TRUE(failed_with(inspect("features.json", features.dump()),
                          "learner.learner_model_param.num_feature is not an integer: 'thirty'"));
  json zero = gbtree_model(1);
  zero["learner"]["learner_model_param"]["num_feature"] = "0";
  EXPECT_TRUE(failed_with(inspect("zero.json", zero.dump()), "num_feature is 0"));
  json score = gbtree_model(1);
  score["learner"]["learner_model_param"]["base_score"] = "half";
  EXPECT_TRUE(failed_with(inspect("score.json", score.dump()), "base_score is not a number: 'half'"));
  json no_trees = gbtree_model(1);
  no_trees["learner"]["gradient_booster"]["model"] = json::object();
  EXPECT_TRUE(failed_with(inspect("notrees.json", no_trees.dump()), "the gbtree model has neither"));
}

TEST(XgboostJson, RejectsMalformedJsonWithItsPosition) {
  std::string text = gbtree_model(1).dump();
  EXPECT_TRUE(failed_with(inspect("cut.json", text.substr(0, 100)), "xgboost-json: malformed at byte 101"));
  EXPECT_TRUE(failed_with(inspect("trailing.json", text + "garbage"), "xgboost-json: malformed at byte"));
  std::string deep = "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_TRUE(failed_with(inspect("deep.json", deep), "nested deeper than 64 levels"));
}

TEST(XgboostUbjson, RejectsATruncatedFile) {
  std::vector<uint8_t> ubjson = json::to_ubjson(gbtree_model(2));
  std::string bytes(ubjson.begin(), ubjson.end());
  EXPECT_TRUE(failed_with(inspect("cut.ubj", bytes.substr(0, bytes.size() / 2)), "xgboost-ubjson: malformed at byte"));
}

// A typed array of 2^60 'true's costs its count's 8 bytes (a fuzz/ finding: the parser ran for ever).
TEST(XgboostUbjson, RejectsACountTheFileCannotHold) {
  std::string bytes = "{i\x01";  // an object, its first key 1 byte long
  bytes += "a[$T#L";             // "a": an array typed T with an int64 count
  bytes += std::string("\x10\0\0\0\0\0\0\0", 8);
  bytes += "}";
  EXPECT_TRUE(failed_with(inspect("bomb.ubj", bytes), "declares more values than its"));
}

// The deprecated binary layout, as XGBoost 1.7.4's save_raw("deprecated") writes it.
struct BinaryModel {
  uint32_t num_feature = 30;
  int32_t num_class = 0;
  std::string objective = "binary:logistic";
  std::string booster = "gbtree";
  int32_t trees = 2;
  int32_t tree_group = 0;
  bool magic = true;

  std::string build() const {
    Bytes b;
    if (magic) b.raw("binf");
    b.f32(0.5f).u32(num_feature).i32(num_class).i32(1).i32(0).u32(1).u32(7).u32(1).i32(1).zeros(size_t{25} * 4);
    b.string64(objective).string64(booster);
    if (booster == "gblinear") {
      // One weight per feature plus a bias, per class.
      size_t weights = (size_t{num_feature} + 1) * static_cast<size_t>(std::max(1, num_class));
      b.zeros(136).u64(weights).zeros(weights * 4);
    } else {
      b.i32(trees).i32(1).zeros(160 - 8);
      // Each tree: its 148-byte header, then 3 nodes of 20 + 16 bytes.
      for (int t = 0; t < trees; ++t) {
        b.i32(1).i32(3).i32(0).i32(1).i32(static_cast<int32_t>(num_feature)).zeros(148 - 20).zeros(size_t{3} * 36);
      }
      for (int t = 0; t < trees; ++t) b.i32(tree_group);
      if (booster == "dart" && trees > 0) b.u64(static_cast<uint64_t>(trees)).zeros(4 * static_cast<size_t>(trees));
    }
    b.u64(1).string64("best_iteration").string64("1");
    return b.str();
  }
};

TEST(XgboostBinary, DescribesTheLegacyLayout) {
  auto info = inspect_artifact(write_temp("model.bin", BinaryModel().build()));  // detected from "binf"
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->format, "xgboost-binary");
  EXPECT_EQ(info->details, json::parse(R"({
    "objective": "binary:logistic", "booster": "gbtree", "num_feature": 30, "num_class": 0, "num_trees": 2,
    "base_score": 0.5, "xgboost_version": "1.7"
  })"));
}

TEST(XgboostBinary, ReadsDartGblinearAndPre10FilesWithoutMagic) {
  BinaryModel dart;
  dart.booster = "dart";
  EXPECT_TRUE(inspect("dart.bin", dart.build()).ok());
  BinaryModel linear;
  linear.booster = "gblinear";
  linear.num_class = 3;
  auto linear_info = inspect("linear.bin", linear.build());
  ASSERT_TRUE(linear_info.ok()) << linear_info.status().to_string();
  EXPECT_EQ(linear_info->outputs[0].shape, (std::vector<int64_t>{-1, 3}));
  BinaryModel old;
  old.magic = false;
  auto old_info = inspect("old.model", old.build());  // only with an explicit framework
  ASSERT_TRUE(old_info.ok()) << old_info.status().to_string();
  EXPECT_EQ(old_info->format, "xgboost-binary");
}

TEST(XgboostBinary, RejectsGarbageAndDamage) {
  EXPECT_TRUE(failed_with(inspect("garbage.bin", "binf" + std::string(200, '\x7f')), "xgboost-binary: "));
  BinaryModel objective;
  objective.objective = "binary logistic!";
  EXPECT_TRUE(failed_with(inspect("objective.bin", objective.build()), "is 'binary logistic!', not a name"));
  BinaryModel no_colon;
  no_colon.objective = "logistic";
  EXPECT_TRUE(failed_with(inspect("nocolon.bin", no_colon.build()), "is not an XGBoost objective"));
  BinaryModel booster;
  booster.booster = "forest";
  EXPECT_TRUE(failed_with(inspect("booster.bin", booster.build()), "unknown booster 'forest'"));
  BinaryModel group;
  group.tree_group = 2;
  EXPECT_TRUE(failed_with(inspect("group.bin", group.build()), "tree #0 belongs to output group 2"));
  BinaryModel features;
  features.num_feature = 0;
  EXPECT_TRUE(failed_with(inspect("features.bin", features.build()), "num_feature is 0"));
  std::string whole = BinaryModel().build();
  EXPECT_TRUE(failed_with(inspect("cut.bin", whole.substr(0, 400)), "xgboost-binary: "));
  EXPECT_TRUE(failed_with(inspect("text.txt", "hello, I am a text file with no model in it at all"),
                          "xgboost: not an XGBoost model: it is not JSON or UBJSON"));
}

}  // namespace
}  // namespace maas::formats
