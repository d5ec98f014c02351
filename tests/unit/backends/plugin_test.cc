// The backend plugins of this build: each loads on its own, says which framework it serves and makes the kind of
// backend its manifest declares; what a tensor backend does before a model is loaded; and the loader's refusals.
#include "backends/plugin_loader.h"

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

namespace maas::backends {
namespace {

const std::filesystem::path kDir = MAAS_BACKENDS_DIR;

std::filesystem::path plugin(const std::string& framework) { return kDir / ("libmaas_backend_" + framework + ".so"); }

nlohmann::json manifest(const std::string& framework) {
  std::ifstream in(kDir / (framework + ".json"));
  return nlohmann::json::parse(in);
}

TEST(BackendPlugin, EachTensorPluginLoadsAndMakesTheBackendItsManifestDeclares) {
  for (const char* framework : {"xgboost", "onnx", "torchscript"}) {
    auto loaded = load_backend_plugin(plugin(framework), framework);
    ASSERT_TRUE(loaded.ok()) << framework << ": " << loaded.status().to_string();
    EXPECT_STREQ((*loaded)->framework, framework);
    ASSERT_NE((*loaded)->create_tensor, nullptr) << framework;
    EXPECT_EQ((*loaded)->create_generative, nullptr) << framework;
    EXPECT_EQ(manifest(framework)["kind"], "tensor");
    EXPECT_EQ(manifest(framework)["library"], plugin(framework).filename().string());
    EXPECT_NE((*loaded)->create_tensor(), nullptr);
  }
}

TEST(BackendPlugin, TheGgufPluginMakesAGenerativeBackend) {
  if (!std::filesystem::exists(plugin("gguf"))) GTEST_SKIP() << "this build has no llama.cpp";
  auto loaded = load_backend_plugin(plugin("gguf"), "gguf");
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ((*loaded)->create_tensor, nullptr);
  ASSERT_NE((*loaded)->create_generative, nullptr);
  EXPECT_NE((*loaded)->create_generative(), nullptr);
  EXPECT_EQ(manifest("gguf")["kind"], "generative");
}

TEST(BackendPlugin, EachTensorBackendRejectsAMissingFileAndRunsNothingUnloaded) {
  for (const char* framework : {"xgboost", "onnx", "torchscript"}) {
    auto loaded = load_backend_plugin(plugin(framework), framework);
    ASSERT_TRUE(loaded.ok());
    auto backend = (*loaded)->create_tensor();
    Status status = backend->load("/nonexistent/model", runtime::BackendConfig{});
    EXPECT_EQ(status.code(), StatusCode::kNotFound) << framework << ": " << status.to_string();
    auto result = backend->execute(runtime::ExecuteRequest{});
    EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition) << framework;
  }
}

TEST(BackendPlugin, AnotherFrameworkThanAskedIsRefused) {
  auto loaded = load_backend_plugin(plugin("xgboost"), "onnx");
  EXPECT_EQ(loaded.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(loaded.status().message().find("serves framework 'xgboost', not 'onnx'"), std::string::npos)
      << loaded.status().message();
}

TEST(BackendPlugin, AMissingFileALibraryWithoutTheEntryPointAndAnotherAbiAreRefusedWithWhy) {
  auto missing = load_backend_plugin(kDir / "libmaas_backend_nope.so");
  EXPECT_EQ(missing.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.status().message().find("cannot load the backend plugin"), std::string::npos);

  auto not_a_plugin = load_backend_plugin(MAAS_NOT_A_PLUGIN);
  EXPECT_EQ(not_a_plugin.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(not_a_plugin.status().message().find("has no maas_backend_plugin"), std::string::npos)
      << not_a_plugin.status().message();

  auto other_abi = load_backend_plugin(MAAS_OTHER_ABI_PLUGIN);
  EXPECT_EQ(other_abi.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(other_abi.status().message().find("was built for backend ABI 999"), std::string::npos)
      << other_abi.status().message();
}

}  // namespace
}  // namespace maas::backends
