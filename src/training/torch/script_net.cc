#include "training/torch/script_net.h"

#include <cmath>

namespace maas::training::torchnet {
namespace {

using Shape = std::vector<int64_t>;

std::string list(const std::vector<int64_t>& values) {
  std::string text;
  for (int64_t v : values) text += (text.empty() ? "" : ", ") + std::to_string(v);
  return "[" + text + "]";
}

// Generates the statements of logits() layer by layer and, when `module` is given, registers the parameters
// they read. Each layer reads and assigns `h`.
class Emitter {
 public:
  explicit Emitter(torch::jit::Module* module) : module_(module) {}

  Status layers(const std::vector<LayerSpec>& layers, Shape shape, const std::string& where) {
    for (size_t i = 0; i < layers.size(); ++i) {
      const std::string at = where + "[" + std::to_string(i) + "]";
      MAAS_RETURN_IF_ERROR(layer(layers[i], shape, at));
      MAAS_ASSIGN_OR_RETURN(shape, output_shape(layers[i], shape, at));
    }
    return {};
  }

  std::string source() const { return body_; }

 private:
  void line(const std::string& statement) { body_ += "    " + statement + "\n"; }

  // U(-bound, bound) as torch.nn's reset_parameters draws weights and biases (kaiming_uniform with a = sqrt(5)
  // gives the same bound, 1 / sqrt(fan_in)); a constant when bound is nullopt.
  std::string parameter(const std::string& name, const Shape& shape, std::optional<double> bound, double fill = 0) {
    const std::string full = "p" + std::to_string(index_) + "_" + name;
    if (module_) {
      torch::Tensor value = torch::empty(shape, torch::kFloat32);
      if (bound) {
        value.uniform_(-*bound, *bound);
      } else {
        value.fill_(fill);
      }
      module_->register_parameter(full, value.requires_grad_(), false);
    }
    return "self." + full;
  }

  std::string buffer(const std::string& name, const Shape& shape, double fill) {
    const std::string full = "p" + std::to_string(index_) + "_" + name;
    if (module_) module_->register_buffer(full, torch::full(shape, fill, torch::kFloat32));
    return "self." + full;
  }

  Status layer(const LayerSpec& l, const Shape& in, const std::string& where) {
    ++index_;
    const std::string& t = l.type;
    if (t == "relu" || t == "gelu" || t == "tanh" || t == "sigmoid") {
      line("h = torch." + t + "(h)");
    } else if (t == "dropout") {
      line("h = torch.dropout(h, " + std::to_string(l.p) + ", self.training)");
    } else if (t == "flatten") {
      line("h = torch.flatten(h, 1)");
    } else if (t == "linear") {
      const double bound = 1 / std::sqrt(static_cast<double>(in.back()));
      std::string w = parameter("weight", {l.out, in.back()}, bound);
      std::string b = l.bias ? parameter("bias", {l.out}, bound) : "None";
      line("h = torch.linear(h, " + w + ", " + b + ")");
    } else if (t == "batch_norm") {
      std::string w = parameter("weight", {in[0]}, std::nullopt, 1);
      std::string b = parameter("bias", {in[0]}, std::nullopt, 0);
      std::string mean = buffer("running_mean", {in[0]}, 0);
      std::string var = buffer("running_var", {in[0]}, 1);
      line("h = torch.batch_norm(h, " + w + ", " + b + ", " + mean + ", " + var +
           ", self.training, 0.1, 1e-05, False)");
    } else if (t == "layer_norm") {
      std::string w = parameter("weight", {in.back()}, std::nullopt, 1);
      std::string b = parameter("bias", {in.back()}, std::nullopt, 0);
      line("h = torch.layer_norm(h, [" + std::to_string(in.back()) + "], " + w + ", " + b + ", 1e-05, False)");
    } else if (t.starts_with("conv")) {
      const bool two = t == "conv2d";
      Shape kernel_shape = {l.out, in[0], l.kernel};
      if (two) kernel_shape.push_back(l.kernel);
      const double fan_in = static_cast<double>(in[0] * l.kernel * (two ? l.kernel : 1));
      std::string w = parameter("weight", kernel_shape, 1 / std::sqrt(fan_in));
      std::string b = l.bias ? parameter("bias", {l.out}, 1 / std::sqrt(fan_in)) : "None";
      const size_t n = two ? 2 : 1;
      line("h = torch." + t + "(h, " + w + ", " + b + ", " + list(Shape(n, l.stride)) + ", " +
           list(Shape(n, l.padding)) + ", " + list(Shape(n, 1)) + ", 1)");
    } else if (t.find("pool") != std::string::npos) {
      const size_t n = t.ends_with("2d") ? 2 : 1;
      const std::string windows =
          list(Shape(n, l.kernel)) + ", " + list(Shape(n, l.stride)) + ", " + list(Shape(n, l.padding));
      if (t.starts_with("max")) {
        line("h = torch." + t + "(h, " + windows + ", " + list(Shape(n, 1)) + ", False)");
      } else {
        line("h = torch." + t + "(h, " + windows + (n == 2 ? ", False, True, None)" : ", False, True)"));
      }
    } else if (t == "lstm" || t == "gru") {
      rnn(l, in);
    } else if (t == "residual") {
      const std::string saved = "r" + std::to_string(index_);
      line(saved + " = h");
      MAAS_RETURN_IF_ERROR(layers(l.block, in, where + ".layers"));
      line("h = h + " + saved);
    } else {
      return invalid_argument(where + ".type '" + t + "' has no TorchScript form");
    }
    return {};
  }

  // torch.lstm / torch.gru with batch_first, the weights in torch.nn.LSTM's order (per layer and direction:
  // w_ih, w_hh, b_ih, b_hh), all drawn from U(-1/sqrt(hidden), 1/sqrt(hidden)) as torch.nn.LSTM does.
  void rnn(const LayerSpec& l, const Shape& in) {
    const int64_t gates = l.type == "lstm" ? 4 : 3, directions = l.bidirectional ? 2 : 1, hidden = l.out;
    const double bound = 1 / std::sqrt(static_cast<double>(hidden));
    std::string weights;
    for (int64_t layer = 0; layer < l.num_layers; ++layer) {
      const int64_t input = layer == 0 ? in[1] : hidden * directions;
      for (int64_t d = 0; d < directions; ++d) {
        const std::string suffix = std::to_string(layer) + (d == 1 ? "_reverse" : "");
        for (const std::string& w : {parameter("weight_ih_l" + suffix, {gates * hidden, input}, bound),
                                     parameter("weight_hh_l" + suffix, {gates * hidden, hidden}, bound),
                                     parameter("bias_ih_l" + suffix, {gates * hidden}, bound),
                                     parameter("bias_hh_l" + suffix, {gates * hidden}, bound)}) {
          weights += (weights.empty() ? "" : ", ") + w;
        }
      }
    }
    const std::string zeros = "torch.zeros([" + std::to_string(l.num_layers * directions) + ", h.size(0), " +
                              std::to_string(hidden) + "], dtype=h.dtype)";
    const std::string state = l.type == "lstm" ? "[" + zeros + ", " + zeros + "]" : zeros;
    const std::string flags = ", True, " + std::to_string(l.num_layers) + ", 0.0, self.training, " +
                              (l.bidirectional ? "True" : "False") + ", True)";
    line("h = torch." + l.type + "(h, " + state + ", [" + weights + "]" + flags + "[0]");
    line(l.output == "mean" ? "h = torch.mean(h, 1)" : "h = torch.select(h, 1, -1)");
  }

  torch::jit::Module* module_;
  std::string body_;
  int index_ = 0;
};

Result<std::string> generate(const TorchTrainSpec& spec, int64_t features, torch::jit::Module* module) {
  MAAS_RETURN_IF_ERROR(check_network(spec, features));
  Emitter emitter(module);
  const Shape input = spec.network.input_shape.empty() ? Shape{features} : spec.network.input_shape;
  MAAS_RETURN_IF_ERROR(emitter.layers(spec.network.layers, input, "params.network.layers"));
  std::string source = "def logits(self, x):\n";
  source += input.size() > 1 ? "    h = torch.reshape(x, [-1, " + list(input).substr(1) + ")\n" : "    h = x\n";
  source += emitter.source() + "    return h\n\ndef forward(self, x):\n";
  switch (spec.task()) {
    case Task::kMulticlass:
      return source + "    return torch.softmax(self.logits(x), 1)\n";
    case Task::kBinary:
      return source + "    return torch.sigmoid(self.logits(x))\n";
    default:
      return source + "    return self.logits(x)\n";
  }
}

}  // namespace

Result<std::string> network_source(const TorchTrainSpec& spec, int64_t features) {
  return generate(spec, features, nullptr);
}

Result<torch::jit::Module> build_network(const TorchTrainSpec& spec, int64_t features) {
  torch::jit::Module module("MaasNet");
  module.register_attribute("training", c10::BoolType::get(), true);
  MAAS_ASSIGN_OR_RETURN(std::string source, generate(spec, features, &module));
  try {
    module.define(source);
  } catch (const std::exception& e) {
    return internal_error(std::string("the generated TorchScript does not compile: ") + e.what());
  }
  return module;
}

}  // namespace maas::training::torchnet
