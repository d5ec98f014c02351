// The network of a train.torch spec as a TorchScript module: every layer type builds and runs with the shape
// net_spec inferred, an LSTM computes what torch::nn::LSTM computes with the same weights (the weight order
// torch.nn uses), forward() gives probabilities, and a checkpoint restores weights, optimizer and generator.
#include <gtest/gtest.h>

#include "training/torch/checkpoint.h"
#include "training/torch/script_net.h"

namespace maas::training {
namespace {

using nlohmann::json;

TorchTrainSpec spec_of(json network, const char* loss) {
  json params = {{"model", "m"}, {"dataset", "d"}, {"label", "y"}, {"loss", loss}, {"network", network}};
  auto spec = torch_spec_from_json(params);
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  return *spec;
}

torch::Tensor logits(torch::jit::Module& module, const torch::Tensor& x) {
  return module.run_method("logits", x).toTensor();
}

TEST(TorchNet, EveryLayerTypeRunsWithTheInferredShape) {
  json network = {
      {"input", {{"shape", {2, 8, 8}}}},
      {"layers",
       {{{"type", "conv2d"}, {"out", 4}, {"kernel", 3}, {"padding", 1}},
        {{"type", "batch_norm"}},
        {{"type", "gelu"}},
        {{"type", "avg_pool2d"}, {"kernel", 2}},
        {{"type", "residual"}, {"layers", {{{"type", "conv2d"}, {"out", 4}, {"kernel", 1}}, {{"type", "tanh"}}}}},
        {{"type", "max_pool2d"}, {"kernel", 2}},
        {{"type", "flatten"}},
        {{"type", "layer_norm"}},
        {{"type", "dropout"}, {"p", 0.3}},
        {{"type", "linear"}, {"out", 3}}}}};
  TorchTrainSpec spec = spec_of(network, "cross_entropy");
  auto module = torchnet::build_network(spec, 128);
  ASSERT_TRUE(module.ok()) << module.status().message();
  module->eval();
  torch::Tensor out = module->forward({torch::randn({5, 128})}).toTensor();
  EXPECT_EQ(out.sizes(), (std::vector<int64_t>{5, 3}));
  EXPECT_TRUE(torch::allclose(out.sum(1), torch::ones({5})));

  json rnn = {{"input", {{"shape", {6, 2}}}},
              {"layers",
               {{{"type", "gru"}, {"hidden", 4}, {"num_layers", 2}, {"bidirectional", true}, {"output", "mean"}},
                {{"type", "sigmoid"}},
                {{"type", "linear"}, {"out", 1}}}}};
  auto gru = torchnet::build_network(spec_of(rnn, "bce_with_logits"), 12);
  ASSERT_TRUE(gru.ok()) << gru.status().message();
  torch::Tensor p = gru->forward({torch::randn({7, 12})}).toTensor();
  EXPECT_EQ(p.sizes(), (std::vector<int64_t>{7, 1}));
  EXPECT_TRUE((p > 0).all().item<bool>() && (p < 1).all().item<bool>());
}

TEST(TorchNet, AnLstmComputesWhatTorchNnLstmComputesWithTheSameWeights) {
  json network = {{"input", {{"shape", {5, 3}}}}, {"layers", {{{"type", "lstm"}, {"hidden", 4}, {"num_layers", 2}}}}};
  torch::manual_seed(1);
  auto module = torchnet::build_network(spec_of(network, "cross_entropy"), 15);
  ASSERT_TRUE(module.ok()) << module.status().message();
  torch::nn::LSTM reference(torch::nn::LSTMOptions(3, 4).num_layers(2).batch_first(true));
  {
    torch::NoGradGuard no_grad;
    for (const auto& p : module->named_parameters()) {
      std::string name = p.name.substr(p.name.find('_') + 1);  // p1_weight_ih_l0 -> weight_ih_l0
      reference->named_parameters()[name].copy_(p.value);
    }
  }
  torch::Tensor x = torch::randn({6, 15});
  torch::Tensor expected = std::get<0>(reference->forward(x.reshape({6, 5, 3}))).select(1, -1);
  EXPECT_TRUE(torch::allclose(logits(*module, x), expected, 1e-6, 1e-6));
}

TEST(TorchNet, ACheckpointRestoresWeightsOptimizerAndGenerator) {
  json network = {{"layers", {{{"type", "linear"}, {"out", 2}}, {{"type", "dropout"}}}}};
  auto built = torchnet::build_network(spec_of(network, "cross_entropy"), 3);
  ASSERT_TRUE(built.ok());
  torch::jit::Module& module = *built;
  std::vector<torch::Tensor> parameters;
  for (const auto& p : module.parameters()) parameters.push_back(p);
  torch::optim::Adam optimizer(parameters, torch::optim::AdamOptions(0.1));
  auto step = [&] {
    optimizer.zero_grad();
    logits(module, torch::ones({4, 3})).sum().backward();
    optimizer.step();
  };
  step();
  torchnet::RunState state;
  state.epoch = 2, state.step = 7, state.best_epoch = 1, state.best_score = 0.5;
  const std::string bytes = torchnet::encode_checkpoint(state, module, optimizer, torchnet::module_tensors(module));
  step();
  const torch::Tensor after = logits(module, torch::ones({1, 3}));
  const torch::Tensor draw = torch::rand({3});
  step();  // moves the weights and the optimizer's moments on
  std::vector<torch::Tensor> best;
  auto restored = torchnet::decode_checkpoint(bytes, module, optimizer, best);
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_EQ(restored->step, 7);
  EXPECT_EQ(restored->best_epoch, 1);
  EXPECT_EQ(best.size(), parameters.size());
  step();
  EXPECT_TRUE(torch::equal(logits(module, torch::ones({1, 3})), after));
  EXPECT_TRUE(torch::equal(torch::rand({3}), draw));
  EXPECT_FALSE(torchnet::decode_checkpoint("not a checkpoint", module, optimizer, best).ok());
}

}  // namespace
}  // namespace maas::training
