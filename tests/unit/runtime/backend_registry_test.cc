// BackendRegistry::discover: what maasd learns from the manifests beside the plugins, and the manifests it refuses
// with a message naming the file.
#include "runtime/backend_registry.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

namespace maas::runtime {
namespace {

struct RegistryTest : ::testing::Test {
  RegistryTest() {
    dir = std::filesystem::temp_directory_path() / ("maas-backends-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
  }
  ~RegistryTest() override { std::filesystem::remove_all(dir); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir / name) << text; }
  std::filesystem::path dir;
};

TEST_F(RegistryTest, ManifestsNameEachFrameworksKindPlatformAndPlugin) {
  write("libmaas_backend_trees.so", "");
  write("libmaas_backend_words.so", "");
  write("trees.json", R"({"framework": "trees", "kind": "tensor", "platform": "trees_json", "library": "libmaas_backend_trees.so"})");
  write("words.json", R"({"framework": "words", "kind": "generative", "platform": "words_cpp", "library": "libmaas_backend_words.so"})");
  write("README", "not a manifest");
  auto registry = BackendRegistry::discover(dir, "/bin/maas-worker");
  ASSERT_TRUE(registry.ok()) << registry.status().to_string();
  ASSERT_EQ(registry->list().size(), 2u);
  const BackendInfo* trees = registry->find("trees");
  ASSERT_NE(trees, nullptr);
  EXPECT_EQ(trees->kind, ServingKind::kTensor);
  EXPECT_EQ(trees->platform, "trees_json");
  EXPECT_EQ(trees->library, dir / "libmaas_backend_trees.so");
  EXPECT_EQ(trees->worker, "/bin/maas-worker");
  EXPECT_EQ(registry->find("words")->kind, ServingKind::kGenerative);
  auto missing = registry->require("gguf");
  EXPECT_EQ(missing.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(missing.status().message(), "no backend serves framework 'gguf' in this maasd (it serves trees, words)");
}

TEST_F(RegistryTest, NoFolderMeansNoBackends) {
  auto registry = BackendRegistry::discover(dir / "absent", "/bin/maas-worker");
  ASSERT_TRUE(registry.ok());
  EXPECT_TRUE(registry->list().empty());
  EXPECT_EQ(registry->require("xgboost").status().message(),
            "no backend serves framework 'xgboost' in this maasd (it serves none)");
}

TEST_F(RegistryTest, ABadManifestIsRefusedNamingTheFileAndWhy) {
  struct Case {
    std::string text;
    std::string why;
  };
  for (const Case& c : std::vector<Case>{
           {"{", "is not valid"},
           {R"({"framework": "x", "kind": "tensor", "platform": "p"})", "has no \"library\" string"},
           {R"({"framework": "x", "kind": "batch", "platform": "p", "library": "lib.so"})", "has kind \"batch\""},
           {R"({"framework": "x", "kind": "tensor", "platform": "p", "library": "absent.so"})", "which is missing"},
           {R"([1, 2])", "has no \"framework\" string"},
       }) {
    write("x.json", c.text);
    auto registry = BackendRegistry::discover(dir, "/bin/maas-worker");
    EXPECT_EQ(registry.status().code(), StatusCode::kFailedPrecondition) << c.text;
    EXPECT_NE(registry.status().message().find((dir / "x.json").string()), std::string::npos) << registry.status().message();
    EXPECT_NE(registry.status().message().find(c.why), std::string::npos) << registry.status().message();
  }
}

}  // namespace
}  // namespace maas::runtime
