// TorchTrainSpec and NetSpec: a train.torch submission read strictly (errors name the field), the shapes each
// layer gives, the learning-rate schedule, and the round trip through the normalized parameters maas-job reads.
#include <gtest/gtest.h>

#include "training/torch/train_spec.h"

namespace maas::training {
namespace {

using nlohmann::json;

json minimal() {
  return {{"model", "m"},
          {"dataset", "d"},
          {"label", "y"},
          {"loss", "mse"},
          {"network", {{"layers", {{{"type", "linear"}, {"out", 1}}}}}}};
}

std::string error_of(const json& params) {
  auto spec = torch_spec_from_json(params);
  return spec.ok() ? "" : spec.status().message();
}

TEST(TorchTrainSpec, FillsDefaultsAndRoundTripsThroughItsJson) {
  json params = minimal();
  params["optimizer"] = {{"type", "sgd"}, {"lr", 0.1}, {"momentum", 0.9}, {"nesterov", true}};
  params["schedule"] = {{"type", "cosine"}, {"warmup_steps", 10}};
  params["split_column"] = "split";
  params["early_stopping"] = {{"patience", 3}, {"metric", "rmse"}};
  auto spec = torch_spec_from_json(params);
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->epochs, 10);
  EXPECT_EQ(spec->batch_size, 32);
  EXPECT_EQ(spec->checkpoint_every, 100);
  EXPECT_EQ(spec->task(), Task::kRegression);
  auto again = torch_spec_from_json(torch_spec_to_json(*spec));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(torch_spec_to_json(*again), torch_spec_to_json(*spec));
  EXPECT_TRUE(again->optimizer.nesterov);
  EXPECT_EQ(again->early_stopping.metric, "rmse");
}

TEST(TorchTrainSpec, ErrorsNameTheField) {
  json p = minimal();
  p["network"]["layers"][0].erase("out");
  EXPECT_NE(error_of(p).find("params.network.layers[0].out is required"), std::string::npos) << error_of(p);
  p = minimal();
  p["network"]["layers"][0]["units"] = 3;
  EXPECT_NE(error_of(p).find("params.network.layers[0].units"), std::string::npos) << error_of(p);
  p = minimal();
  p["network"]["layers"] = {{{"type", "residual"}, {"layers", {{{"type", "dropout"}, {"p", 1.5}}}}}};
  EXPECT_NE(error_of(p).find("params.network.layers[0].layers[0].p"), std::string::npos) << error_of(p);
  p = minimal();
  p["optimizer"] = {{"type", "adam"}, {"betas", {0.9}}};
  EXPECT_NE(error_of(p).find("params.optimizer.betas"), std::string::npos) << error_of(p);
  p = minimal();
  p["early_stopping"] = {{"patience", 2}};
  EXPECT_NE(error_of(p).find("validation"), std::string::npos) << error_of(p);
  p = minimal();
  p["split_column"] = "s";
  p["early_stopping"] = {{"patience", 2}, {"metric", "accuracy"}};
  EXPECT_NE(error_of(p).find("'accuracy' is not a metric of mse"), std::string::npos) << error_of(p);
  p = minimal();
  p["loss"] = {{"type", "huber"}, {"delta", -1}};
  EXPECT_NE(error_of(p).find("params.loss.delta"), std::string::npos) << error_of(p);
}

TEST(NetSpec, InfersTheShapeOfEachLayer) {
  json network = {{"input", {{"shape", {2, 16}}}},
                  {"layers",
                   {{{"type", "conv1d"}, {"out", 8}, {"kernel", 3}, {"padding", 1}},
                    {{"type", "batch_norm"}},
                    {{"type", "max_pool1d"}, {"kernel", 2}},
                    {{"type", "residual"}, {"layers", {{{"type", "conv1d"}, {"out", 8}, {"kernel", 1}}}}},
                    {{"type", "flatten"}},
                    {{"type", "linear"}, {"out", 3}}}}};
  auto net = torchnet::net_from_json(network);
  ASSERT_TRUE(net.ok()) << net.status().message();
  auto shapes = torchnet::infer_shapes(*net, 32);
  ASSERT_TRUE(shapes.ok()) << shapes.status().message();
  std::vector<std::vector<int64_t>> expected = {{8, 16}, {8, 16}, {8, 8}, {8, 8}, {64}, {3}};
  EXPECT_EQ(*shapes, expected);
  json rnn = {{"input", {{"shape", {5, 3}}}},
              {"layers", {{{"type", "gru"}, {"hidden", 4}, {"bidirectional", true}, {"output", "mean"}}}}};
  auto gru = torchnet::infer_shapes(*torchnet::net_from_json(rnn), 15);
  ASSERT_TRUE(gru.ok()) << gru.status().message();
  EXPECT_EQ(gru->back(), std::vector<int64_t>{8});
  auto wrong = torchnet::infer_shapes(*torchnet::net_from_json(rnn), 14);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("14 feature columns"), std::string::npos);
}

TEST(TorchTrainSpec, TheNetworksOutputMustFitTheLoss) {
  json p = minimal();
  p["loss"] = "cross_entropy";
  auto spec = torch_spec_from_json(p);
  ASSERT_TRUE(spec.ok());
  EXPECT_NE(check_network(*spec, 4).message().find("at least 2"), std::string::npos);
  p["network"]["layers"][0]["out"] = 3;
  EXPECT_TRUE(check_network(*torch_spec_from_json(p), 4).ok());
}

TEST(TorchTrainSpec, LearningRateFollowsWarmupThenTheSchedule) {
  json p = minimal();
  p["optimizer"] = {{"type", "adam"}, {"lr", 0.1}};
  p["schedule"] = {{"type", "step"}, {"step_size", 2}, {"gamma", 0.5}, {"warmup_steps", 4}};
  auto spec = torch_spec_from_json(p);
  ASSERT_TRUE(spec.ok());
  EXPECT_DOUBLE_EQ(spec->learning_rate(0, 0, 100), 0.025);
  EXPECT_DOUBLE_EQ(spec->learning_rate(3, 0, 100), 0.1);
  EXPECT_DOUBLE_EQ(spec->learning_rate(10, 1, 100), 0.1);
  EXPECT_DOUBLE_EQ(spec->learning_rate(20, 2, 100), 0.05);
  EXPECT_DOUBLE_EQ(spec->learning_rate(50, 5, 100), 0.025);
  p["schedule"] = {{"type", "cosine"}, {"min_lr", 0.0}};
  spec = torch_spec_from_json(p);
  EXPECT_DOUBLE_EQ(spec->learning_rate(0, 0, 100), 0.1);
  EXPECT_NEAR(spec->learning_rate(50, 0, 100), 0.05, 1e-12);
}

}  // namespace
}  // namespace maas::training
