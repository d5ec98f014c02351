// TorchscriptBackend against the same modules run by PyTorch, Triton-style output names and input errors.
#include "backends/torchscript/torchscript_backend.h"

#include <iostream>

#include <gtest/gtest.h>

#include "reference.h"

namespace maas::backends {
namespace {

using testing::bitwise_equal;
using testing::max_abs_difference;

constexpr double kTolerance = 1e-5;

TEST(TorchscriptBackend, RejectsACheckpointThatIsNotTorchscript) {
  MAAS_REQUIRE_REFERENCE(reference);
  TorchscriptBackend backend;
  Status loaded = backend.load(reference->model("state_dict.pt"), {});
  EXPECT_EQ(loaded.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(loaded.message().find("this is a torch.save checkpoint, not TorchScript"), std::string::npos)
      << loaded.message();
}

// The MLP and CNN of reference.json's "torch" cases, as saved by torch.jit.script.
class TorchscriptFidelity : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    MAAS_REQUIRE_REFERENCE(reference);
    reference_ = reference;
    for (const auto& entry : reference->json().at("torch")) {
      if (entry.at("model") == GetParam()) case_ = entry;
    }
    ASSERT_FALSE(case_.is_null()) << GetParam() << " is not in reference.json";
    Status loaded = backend_.load(reference->model(GetParam() + ".pt"), testing::config_with_threads(2));
    ASSERT_TRUE(loaded.ok()) << loaded.to_string();
  }

  const nlohmann::json& input_entry() const { return case_.at("inputs").at(0); }
  std::string input_name() const { return input_entry().at("name"); }
  runtime::Tensor input() const { return reference_->tensor(input_entry(), input_name()); }
  runtime::Tensor expected() const { return reference_->tensor(case_.at("outputs").at(0), "output__0"); }
  runtime::ExecuteRequest request_with(runtime::Tensor tensor) const {
    runtime::ExecuteRequest request;
    request.inputs.push_back(std::move(tensor));
    return request;
  }

  const testing::Reference* reference_ = nullptr;
  nlohmann::json case_;
  TorchscriptBackend backend_;
};

TEST_P(TorchscriptFidelity, ReadsInputNamesFromForward) {
  const auto& signature = backend_.signature();
  ASSERT_EQ(signature.inputs.size(), 1u);
  EXPECT_EQ(signature.inputs[0].name, input_name());
  EXPECT_EQ(signature.inputs[0].shape, (std::vector<int64_t>{-1}));
  ASSERT_EQ(signature.outputs.size(), 1u);
  EXPECT_EQ(signature.outputs[0].name, "output__0");
}

TEST_P(TorchscriptFidelity, OutputsMatchTorchWithinTolerance) {
  runtime::Tensor in = input();
  std::vector<std::byte> before(in.data.data(), in.data.data() + in.data.size());
  auto result = backend_.execute(request_with(in));
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  ASSERT_EQ(result->size(), 1u);
  EXPECT_EQ(result->at(0).name, "output__0");
  EXPECT_EQ(result->at(0).datatype, runtime::DataType::kFp32);
  EXPECT_EQ(result->at(0).shape, expected().shape);
  double difference = max_abs_difference(result->at(0), expected());
  std::cout << "[ measured ] torchscript " << GetParam() << " max |libtorch - torch| = " << difference << "\n";
  EXPECT_LE(difference, kTolerance);
  EXPECT_EQ(std::memcmp(before.data(), in.data.data(), before.size()), 0) << "the input was modified";
}

TEST_P(TorchscriptFidelity, TakesAnInputPositionallyUnderAnotherName) {
  runtime::Tensor renamed = input();
  renamed.name = "INPUT__0";
  auto result = backend_.execute(request_with(renamed));
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_LE(max_abs_difference(result->at(0), expected()), kTolerance);
}

TEST_P(TorchscriptFidelity, RejectsAWrongShapeNamingTheInput) {
  // Flattened to one dimension: neither Linear nor Conv2d takes that (the CNN's pooling takes any image size).
  runtime::Tensor wrong = input();
  wrong.shape = {wrong.element_count()};
  auto result = backend_.execute(request_with(wrong));
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("forward() failed on inputs '" + input_name() + "'"), std::string::npos)
      << result.status().message();
}

TEST_P(TorchscriptFidelity, RejectsAWrongDatatypeNamingTheInput) {
  runtime::Tensor in = input();
  std::vector<int64_t> integers(in.element_count(), 1);
  runtime::Tensor wrong{input_name(), runtime::DataType::kInt64, in.shape,
                        runtime::Buffer::copy_of(integers.data(), integers.size() * sizeof(int64_t))};
  auto result = backend_.execute(request_with(wrong));
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("'" + input_name() + "' INT64"), std::string::npos)
      << result.status().message();

  runtime::Tensor unsigned_input{input_name(), runtime::DataType::kUint16, {1}, runtime::Buffer::copy_of("ab", 2)};
  auto unsupported = backend_.execute(request_with(unsigned_input));
  EXPECT_EQ(unsupported.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unsupported.status().message(), "torchscript: input '" + input_name() +
                                                "' has datatype UINT16, which LibTorch has no tensor type for");
}

INSTANTIATE_TEST_SUITE_P(Models, TorchscriptFidelity, ::testing::Values("mlp", "cnn"));

// A module with two inputs returning a tuple: FP32, INT64, and a view of its first input.
TEST(TorchscriptBackend, NamesTupleOutputsLikeTritonAndKeepsTheirDatatypes) {
  MAAS_REQUIRE_REFERENCE(reference);
  const auto& module = reference->json().at("tuple_module");
  TorchscriptBackend backend;
  Status loaded = backend.load(reference->model(module.at("files").at(0)), {});
  ASSERT_TRUE(loaded.ok()) << loaded.to_string();
  const auto& signature = backend.signature();
  ASSERT_EQ(signature.inputs.size(), 2u);
  EXPECT_EQ(signature.inputs[0].name, "values");
  EXPECT_EQ(signature.inputs[1].name, "scale");
  ASSERT_EQ(signature.outputs.size(), 3u);
  EXPECT_EQ(signature.outputs[0].name, "output__0");
  EXPECT_EQ(signature.outputs[1].name, "output__1");
  EXPECT_EQ(signature.outputs[2].name, "output__2");

  runtime::ExecuteRequest request;
  // Given in the opposite order to forward's; matched by name.
  for (int i : {1, 0}) {
    const auto& entry = module.at("inputs").at(i);
    request.inputs.push_back(reference->tensor(entry, entry.at("name")));
  }
  auto result = backend.execute(request);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  ASSERT_EQ(result->size(), 3u);
  runtime::Tensor scaled = reference->tensor(module.at("outputs").at(0), "output__0");
  runtime::Tensor argmax = reference->tensor(module.at("outputs").at(1), "output__1");
  runtime::Tensor rest = reference->tensor(module.at("outputs").at(2), "output__2");
  EXPECT_LE(max_abs_difference(result->at(0), scaled), kTolerance);
  EXPECT_EQ(result->at(1).name, "output__1");
  EXPECT_TRUE(bitwise_equal(result->at(1), argmax));

  // The view of `values` must own its bytes: the request (and its buffers) may be gone before it is read.
  const std::byte* values_begin = request.inputs[1].data.data();
  const std::byte* values_end = values_begin + request.inputs[1].data.size();
  const std::byte* view = result->at(2).data.data();
  EXPECT_TRUE(view < values_begin || view >= values_end) << "output__2 points into the request's input";
  request = {};
  EXPECT_TRUE(bitwise_equal(result->at(2), rest));

  runtime::ExecuteRequest only_argmax_request;
  for (int i : {0, 1}) {
    const auto& entry = module.at("inputs").at(i);
    only_argmax_request.inputs.push_back(reference->tensor(entry, entry.at("name")));
  }
  only_argmax_request.outputs = {"output__1"};
  auto only_argmax = backend.execute(only_argmax_request);
  ASSERT_TRUE(only_argmax.ok()) << only_argmax.status().to_string();
  ASSERT_EQ(only_argmax->size(), 1u);
  EXPECT_TRUE(bitwise_equal(only_argmax->at(0), argmax));
}

}  // namespace
}  // namespace maas::backends
