// create_backend: which frameworks this build serves, and what each backend does before a model is loaded.
#include <gtest/gtest.h>

#include "runtime/backend.h"

namespace maas::runtime {
namespace {

TEST(CreateBackend, BuildsEachFrameworkOfThisBuild) {
  for (const char* framework : {"xgboost", "onnx", "torchscript"}) {
    auto backend = create_backend(framework);
    ASSERT_TRUE(backend.ok()) << framework << ": " << backend.status().to_string();
    EXPECT_NE(backend->get(), nullptr);
  }
}

TEST(CreateBackend, IsNotFoundForAFrameworkWithoutABackend) {
  auto backend = create_backend("gguf");
  EXPECT_EQ(backend.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(backend.status().message(), "no backend for framework 'gguf' in this build");
}

TEST(CreateBackend, EachBackendRejectsAMissingFileAndRunsNothingUnloaded) {
  for (const char* framework : {"xgboost", "onnx", "torchscript"}) {
    auto backend = create_backend(framework);
    ASSERT_TRUE(backend.ok());
    Status loaded = (*backend)->load("/nonexistent/model", BackendConfig{});
    EXPECT_EQ(loaded.code(), StatusCode::kNotFound) << framework << ": " << loaded.to_string();
    auto result = (*backend)->execute(ExecuteRequest{});
    EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition) << framework;
  }
}

}  // namespace
}  // namespace maas::runtime
