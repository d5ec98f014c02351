#include "training/torch/net_spec.h"

#include <set>

namespace maas::training::torchnet {
namespace {

using nlohmann::json;
using Shape = std::vector<int64_t>;

const std::set<std::string> kActivations = {"relu", "gelu", "tanh", "sigmoid"};
const std::set<std::string> kTypes = {"linear",     "relu",       "gelu",    "tanh",   "sigmoid",    "dropout",
                                      "batch_norm", "layer_norm", "conv1d",  "conv2d", "max_pool1d", "max_pool2d",
                                      "avg_pool1d", "avg_pool2d", "flatten", "lstm",   "gru",        "residual"};

// The fields each type reads besides "type"; anything else is a typo worth a 400.
std::set<std::string> fields_of(const std::string& type) {
  if (type == "linear") return {"out", "bias"};
  if (type == "dropout") return {"p"};
  if (type == "conv1d" || type == "conv2d") return {"out", "kernel", "stride", "padding", "bias"};
  if (type.find("pool") != std::string::npos) return {"kernel", "stride", "padding"};
  if (type == "lstm" || type == "gru") return {"hidden", "num_layers", "bidirectional", "output"};
  if (type == "residual") return {"layers"};
  return {};
}

Result<int64_t> count(const json& layer, const std::string& where, const char* key, int64_t fallback, int64_t low) {
  auto it = layer.find(key);
  if (it == layer.end()) {
    if (fallback < low) return invalid_argument(where + "." + key + " is required");
    return fallback;
  }
  if (!it->is_number_integer() || it->get<int64_t>() < low || it->get<int64_t>() > 1'000'000) {
    return invalid_argument(where + "." + key + " must be an integer from " + std::to_string(low) + " to 1000000");
  }
  return it->get<int64_t>();
}

Result<bool> flag(const json& layer, const std::string& where, const char* key, bool fallback) {
  auto it = layer.find(key);
  if (it == layer.end()) return fallback;
  if (!it->is_boolean()) return invalid_argument(where + "." + key + " must be true or false");
  return it->get<bool>();
}

Result<std::vector<LayerSpec>> layers_from_json(const json& layers, const std::string& where);

Result<LayerSpec> layer_from_json(const json& layer, const std::string& where) {
  if (!layer.is_object() || !layer.contains("type") || !layer["type"].is_string()) {
    return invalid_argument(where + " must be an object with a string 'type'");
  }
  LayerSpec spec;
  spec.type = layer["type"].get<std::string>();
  if (!kTypes.contains(spec.type)) {
    std::string names;
    for (const std::string& t : kTypes) names += (names.empty() ? "" : ", ") + t;
    return invalid_argument(where + ".type '" + spec.type + "' is not a layer maas trains; use one of " + names);
  }
  const std::set<std::string> known = fields_of(spec.type);
  for (const auto& [key, value] : layer.items()) {
    if (key != "type" && !known.contains(key)) {
      return invalid_argument(where + "." + key + " is not a field of a " + spec.type + " layer");
    }
  }
  const bool pooling = spec.type.find("pool") != std::string::npos;
  if (spec.type == "linear" || spec.type.starts_with("conv")) {
    MAAS_ASSIGN_OR_RETURN(spec.out, count(layer, where, "out", 0, 1));
    MAAS_ASSIGN_OR_RETURN(spec.bias, flag(layer, where, "bias", true));
  }
  if (spec.type.starts_with("conv") || pooling) {
    MAAS_ASSIGN_OR_RETURN(spec.kernel, count(layer, where, "kernel", 0, 1));
    MAAS_ASSIGN_OR_RETURN(spec.stride, count(layer, where, "stride", pooling ? spec.kernel : 1, 1));
    MAAS_ASSIGN_OR_RETURN(spec.padding, count(layer, where, "padding", 0, 0));
    if (pooling && spec.padding * 2 > spec.kernel) {
      return invalid_argument(where + ".padding must be at most half of kernel");
    }
  }
  if (spec.type == "dropout") {
    auto it = layer.find("p");
    if (it != layer.end()) {
      if (!it->is_number() || it->get<double>() < 0 || it->get<double>() >= 1) {
        return invalid_argument(where + ".p must be a number in [0, 1)");
      }
      spec.p = it->get<double>();
    }
  }
  if (spec.type == "lstm" || spec.type == "gru") {
    MAAS_ASSIGN_OR_RETURN(spec.out, count(layer, where, "hidden", 0, 1));
    MAAS_ASSIGN_OR_RETURN(spec.num_layers, count(layer, where, "num_layers", 1, 1));
    MAAS_ASSIGN_OR_RETURN(spec.bidirectional, flag(layer, where, "bidirectional", false));
    if (auto it = layer.find("output"); it != layer.end()) {
      if (!it->is_string() || (*it != "last" && *it != "mean")) {
        return invalid_argument(where + ".output must be 'last' (the last step) or 'mean' (over the steps)");
      }
      spec.output = it->get<std::string>();
    }
  }
  if (spec.type == "residual") {
    auto it = layer.find("layers");
    if (it == layer.end()) return invalid_argument(where + ".layers is required (the block added to its input)");
    MAAS_ASSIGN_OR_RETURN(spec.block, layers_from_json(*it, where + ".layers"));
  }
  return spec;
}

Result<std::vector<LayerSpec>> layers_from_json(const json& layers, const std::string& where) {
  if (!layers.is_array() || layers.empty()) return invalid_argument(where + " must be a non-empty array of layers");
  std::vector<LayerSpec> out;
  for (size_t i = 0; i < layers.size(); ++i) {
    MAAS_ASSIGN_OR_RETURN(LayerSpec layer, layer_from_json(layers[i], where + "[" + std::to_string(i) + "]"));
    out.push_back(std::move(layer));
  }
  return out;
}

json layer_to_json(const LayerSpec& layer) {
  json out = {{"type", layer.type}};
  if (layer.type == "linear" || layer.type.starts_with("conv")) {
    out["out"] = layer.out;
    out["bias"] = layer.bias;
  }
  if (layer.type.starts_with("conv") || layer.type.find("pool") != std::string::npos) {
    out["kernel"] = layer.kernel;
    out["stride"] = layer.stride;
    out["padding"] = layer.padding;
  }
  if (layer.type == "dropout") out["p"] = layer.p;
  if (layer.type == "lstm" || layer.type == "gru") {
    out["hidden"] = layer.out;
    out["num_layers"] = layer.num_layers;
    out["bidirectional"] = layer.bidirectional;
    out["output"] = layer.output;
  }
  if (layer.type == "residual") {
    out["layers"] = json::array();
    for (const LayerSpec& inner : layer.block) out["layers"].push_back(layer_to_json(inner));
  }
  return out;
}

std::string shape_text(const Shape& shape) {
  std::string text;
  for (int64_t d : shape) text += (text.empty() ? "" : ", ") + std::to_string(d);
  return "[" + text + "]";
}

// (size + 2 padding - kernel) / stride + 1, as conv and pooling compute a spatial size.
int64_t window_out(int64_t size, const LayerSpec& layer) {
  return (size + 2 * layer.padding - layer.kernel) / layer.stride + 1;
}

}  // namespace

Result<Shape> output_shape(const LayerSpec& layer, const Shape& in, const std::string& where) {
  auto refuse = [&](const std::string& needs) {
    return invalid_argument(where + " (" + layer.type + ") needs " + needs + "; its input is " + shape_text(in));
  };
  if (in.empty()) return refuse("an input");
  const std::string& t = layer.type;
  if (kActivations.contains(t) || t == "dropout" || t == "layer_norm") return in;
  if (t == "batch_norm") return in.size() <= 3 ? Result<Shape>(in) : refuse("[features], [channels, length] or 3 dims");
  if (t == "linear") {
    Shape out = in;
    out.back() = layer.out;
    return out;
  }
  if (t == "flatten") {
    int64_t total = 1;
    for (int64_t d : in) total *= d;
    return Shape{total};
  }
  const size_t spatial = t.ends_with("2d") ? 2 : 1;
  if (t.starts_with("conv") || t.find("pool") != std::string::npos) {
    if (in.size() != spatial + 1) return refuse(spatial == 1 ? "[channels, length]" : "[channels, height, width]");
    Shape out = in;
    if (t.starts_with("conv")) out[0] = layer.out;
    for (size_t d = 1; d < out.size(); ++d) {
      out[d] = window_out(in[d], layer);
      if (out[d] < 1) return refuse("a size of at least kernel - 2 padding in each spatial dimension");
    }
    return out;
  }
  if (t == "lstm" || t == "gru") {
    if (in.size() != 2) return refuse("[steps, channels]");
    return Shape{layer.out * (layer.bidirectional ? 2 : 1)};
  }
  // residual: the block must give back its input's shape to be added to it.
  Shape shape = in;
  for (size_t i = 0; i < layer.block.size(); ++i) {
    const std::string inner_where = where + ".layers[" + std::to_string(i) + "]";
    MAAS_ASSIGN_OR_RETURN(shape, output_shape(layer.block[i], shape, inner_where));
  }
  if (shape != in) {
    return invalid_argument(where + " (residual): its layers turn " + shape_text(in) + " into " + shape_text(shape) +
                            "; the block must keep the shape to be added to its input");
  }
  return in;
}

Result<NetSpec> net_from_json(const json& network) {
  if (!network.is_object()) return invalid_argument("params.network must be an object {input?, layers}");
  for (const auto& [key, value] : network.items()) {
    if (key != "input" && key != "layers") return invalid_argument("params.network." + key + " is not a field");
  }
  NetSpec net;
  if (auto input = network.find("input"); input != network.end()) {
    if (!input->is_object()) return invalid_argument("params.network.input must be an object {shape}");
    for (const auto& [key, value] : input->items()) {
      if (key != "shape") return invalid_argument("params.network.input." + key + " is not a field");
      if (!value.is_array() || value.empty() || value.size() > 3) {
        return invalid_argument("params.network.input.shape must be 1 to 3 positive integers");
      }
      for (const json& d : value) {
        if (!d.is_number_integer() || d.get<int64_t>() < 1) {
          return invalid_argument("params.network.input.shape must be 1 to 3 positive integers");
        }
        net.input_shape.push_back(d.get<int64_t>());
      }
    }
  }
  auto layers = network.find("layers");
  if (layers == network.end()) return invalid_argument("params.network.layers is required");
  MAAS_ASSIGN_OR_RETURN(net.layers, layers_from_json(*layers, "params.network.layers"));
  return net;
}

json net_to_json(const NetSpec& net) {
  json out = {{"layers", json::array()}};
  if (!net.input_shape.empty()) out["input"] = {{"shape", net.input_shape}};
  for (const LayerSpec& layer : net.layers) out["layers"].push_back(layer_to_json(layer));
  return out;
}

Result<std::vector<Shape>> infer_shapes(const NetSpec& net, int64_t features) {
  Shape shape = net.input_shape.empty() ? Shape{features} : net.input_shape;
  int64_t total = 1;
  for (int64_t d : shape) total *= d;
  if (total != features) {
    return invalid_argument("params.network.input.shape " + shape_text(shape) + " holds " + std::to_string(total) +
                            " values but there are " + std::to_string(features) + " feature columns");
  }
  std::vector<Shape> shapes;
  for (size_t i = 0; i < net.layers.size(); ++i) {
    MAAS_ASSIGN_OR_RETURN(shape,
                          output_shape(net.layers[i], shape, "params.network.layers[" + std::to_string(i) + "]"));
    shapes.push_back(shape);
  }
  return shapes;
}

}  // namespace maas::training::torchnet
