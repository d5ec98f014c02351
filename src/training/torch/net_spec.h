// A neural network as a train.torch submission declares it: an input shape and a list of layers, read strictly
// (a 400 naming the field, e.g. params.network.layers[2].out) and checked shape by shape so that a network that
// cannot run is refused in maasd, before a job starts. Pure C++: maasd reads it without LibTorch.
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace maas::training::torchnet {

struct LayerSpec {
  std::string type;  // linear, relu, gelu, tanh, sigmoid, dropout, batch_norm, layer_norm, conv1d, conv2d,
                     // max_pool1d, max_pool2d, avg_pool1d, avg_pool2d, flatten, lstm, gru, residual
  int64_t out = 0;   // linear: out features; conv: out channels; lstm/gru: hidden size
  double p = 0.5;    // dropout
  int64_t kernel = 1, stride = 0, padding = 0;  // conv and pooling; stride 0: the kernel (pooling) or 1 (conv)
  int64_t num_layers = 1;                       // lstm/gru
  bool bidirectional = false;                   // lstm/gru
  std::string output = "last";                  // lstm/gru: "last" step or "mean" over steps
  bool bias = true;                             // linear, conv
  std::vector<LayerSpec> block;                 // residual: x + block(x)
};

struct NetSpec {
  // The shape of one row without the batch: empty means [number of features]; [steps, channels] feeds an RNN,
  // [channels, length] a conv1d, [channels, height, width] a conv2d. The features fill it in row-major order.
  std::vector<int64_t> input_shape;
  std::vector<LayerSpec> layers;
};

// Reads params.network: {input: {shape: [...]}?, layers: [{type, ...}, ...]}.
Result<NetSpec> net_from_json(const nlohmann::json& network);
nlohmann::json net_to_json(const NetSpec& net);

// The shape `layer` turns `in` into (without the batch); `where` names the layer in messages.
Result<std::vector<int64_t>> output_shape(const LayerSpec& layer, const std::vector<int64_t>& in,
                                          const std::string& where);

// The shape of each layer's output (without the batch) for rows of `features` values: the last is the network's
// output. INVALID_ARGUMENT naming the layer when one cannot take its input's shape.
Result<std::vector<std::vector<int64_t>>> infer_shapes(const NetSpec& net, int64_t features);

}  // namespace maas::training::torchnet
