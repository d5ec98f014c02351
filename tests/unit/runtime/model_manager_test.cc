// ModelManager over fake served models: one map for every kind, the backend registry choosing the runner kind,
// reloads retiring the other versions with a drain, unload handing serving to another version, and the memory
// budget evicting what was loaded on demand, least recently used first.
#include "runtime/model_manager.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "../supervisor/run_sync.h"

namespace maas::runtime {
namespace {
using supervisor::run_sync;
using Clock = std::chrono::steady_clock;

class FakeModel : public ServedModel {
 public:
  FakeModel(const LoadSpec& spec, BackendInfo backend)
      : model_(spec.model), version_(spec.version), backend_(std::move(backend)), config_(spec.config) {}
  const std::string& model() const override { return model_; }
  int64_t version() const override { return version_; }
  const BackendInfo& backend() const override { return backend_; }
  ModelState state() const override { return stopped ? ModelState::kUnloading : ModelState::kReady; }
  std::string reason() const override { return ""; }
  ModelSignature signature() const override { return {}; }
  nlohmann::json config_json() const override { return config_; }
  ModelStats stats() const override { return {}; }
  std::vector<InstanceInfo> instances() const override { return {}; }
  uint64_t resident_bytes() const override { return rss; }
  Clock::time_point last_used() const override { return used; }
  int cpu_slots_in_use() const override { return 2; }
  void stop(bool drain) override {
    stopped = true;
    drained = drain;
  }
  void kill_now() override { killed = true; }

  uint64_t rss = 0;
  Clock::time_point used = Clock::now();
  bool stopped = false, drained = false, killed = false;

 private:
  std::string model_;
  int64_t version_;
  BackendInfo backend_;
  nlohmann::json config_;
};

class FakeFactory : public RunnerFactory {
 public:
  Status check_config(const nlohmann::json& config) const override {
    return config.contains("bad") ? invalid_argument("config.bad is bad") : Status();
  }
  boost::asio::awaitable<Result<std::shared_ptr<ServedModel>>> start(const LoadSpec& spec,
                                                                     const BackendInfo& backend) override {
    if (Status s = check_config(spec.config); !s.ok()) co_return s;
    auto model = std::make_shared<FakeModel>(spec, backend);
    model->rss = rss_per_model;
    started.push_back(model);
    co_return std::shared_ptr<ServedModel>(model);
  }
  uint64_t rss_per_model = 0;
  std::vector<std::shared_ptr<FakeModel>> started;
};

struct Fixture : ::testing::Test {
  Fixture() {
    BackendRegistry backends;
    backends.add({"trees", "trees_platform", ServingKind::kTensor, "libmaas_backend_trees.so", "/bin/maas-worker"});
    backends.add({"words", "words_platform", ServingKind::kGenerative, "libmaas_backend_words.so", "/bin/maas-worker"});
    manager = std::make_unique<ModelManager>(io, runtime_metrics, std::move(backends), processes);
    auto t = std::make_unique<FakeFactory>();
    auto g = std::make_unique<FakeFactory>();
    tensor = t.get();
    generative = g.get();
    manager->register_runner(ServingKind::kTensor, std::move(t));
    manager->register_runner(ServingKind::kGenerative, std::move(g));
  }
  Result<std::shared_ptr<ServedModel>> load(const std::string& model, int64_t version, const std::string& framework,
                                            bool keep_others = false) {
    LoadSpec spec{model, version, framework, "/nonexistent", "", nlohmann::json::object(), {}};
    return run_sync(io, manager->load(spec, keep_others));
  }

  boost::asio::io_context io;
  metrics::Registry registry;
  RuntimeMetrics runtime_metrics{registry};
  supervisor::Supervisor processes{supervisor::ResourceLimiter::none(), nullptr};
  std::unique_ptr<ModelManager> manager;
  FakeFactory* tensor = nullptr;
  FakeFactory* generative = nullptr;
};

TEST_F(Fixture, TheRegistryChoosesTheRunnerKindAndOneMapHoldsBoth) {
  ASSERT_TRUE(load("m", 1, "trees").ok());
  ASSERT_TRUE(load("chat", 1, "words").ok());
  EXPECT_EQ(tensor->started.size(), 1u);
  EXPECT_EQ(generative->started.size(), 1u);
  EXPECT_EQ(manager->list().size(), 2u);
  EXPECT_EQ(manager->find("chat", std::nullopt)->backend().platform, "words_platform");
  EXPECT_EQ(manager->find("m", 1)->backend().kind, ServingKind::kTensor);
  EXPECT_TRUE(manager->is_loaded("chat", 1));
  EXPECT_EQ(manager->cpu_slots_in_use(), 4);
}

TEST_F(Fixture, AFrameworkWithoutABackendOrABadConfigIsRefusedBeforeAnythingStarts) {
  auto unknown = load("m", 1, "nope");
  EXPECT_EQ(unknown.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(unknown.status().message().find("no backend serves framework 'nope'"), std::string::npos)
      << unknown.status().message();
  EXPECT_EQ(manager->check_config("trees", {{"bad", 1}}).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(manager->check_config("words", nlohmann::json::object()).ok());
  EXPECT_TRUE(tensor->started.empty());
  EXPECT_TRUE(manager->list().empty());
}

TEST_F(Fixture, AReloadServesTheNewVersionAndDrainsTheOldOneWhateverItsKind) {
  ASSERT_TRUE(load("chat", 1, "words").ok());
  ASSERT_TRUE(load("chat", 2, "words").ok());
  EXPECT_EQ(manager->find("chat", std::nullopt)->version(), 2);
  EXPECT_EQ(manager->find("chat", 1), nullptr);
  EXPECT_TRUE(generative->started[0]->stopped);
  EXPECT_TRUE(generative->started[0]->drained);
  ASSERT_TRUE(load("chat", 3, "words", /*keep_others=*/true).ok());
  EXPECT_NE(manager->find("chat", 2), nullptr);
  EXPECT_EQ(manager->find("chat", std::nullopt)->version(), 3);
}

TEST_F(Fixture, UnloadDrainsAndHandsServingToAnotherLoadedVersion) {
  ASSERT_TRUE(load("m", 1, "trees").ok());
  ASSERT_TRUE(load("m", 2, "trees", /*keep_others=*/true).ok());
  ASSERT_TRUE(manager->unload("m", 2).ok());
  EXPECT_TRUE(tensor->started[1]->drained);
  EXPECT_EQ(manager->find("m", std::nullopt)->version(), 1);
  EXPECT_EQ(manager->unload("m", 2).code(), StatusCode::kNotFound);
  ASSERT_TRUE(manager->unload("m", std::nullopt).ok());
  EXPECT_EQ(manager->find("m", std::nullopt), nullptr);
}

TEST_F(Fixture, TheBudgetEvictsTheLeastRecentlyUsedVersionLoadedOnDemandOnly) {
  tensor->rss_per_model = 100;
  ASSERT_TRUE(load("pinned", 1, "trees").ok());  // explicit: counts, never evicted
  auto deadline = Clock::now() + std::chrono::seconds(5);
  auto on_demand = [&](const std::string& model) {
    LoadSpec spec{model, 1, "trees", "/nonexistent", "", nlohmann::json::object(), {}};
    return run_sync(io, manager->load_on_demand(spec, deadline));
  };
  ASSERT_TRUE(on_demand("old").ok());
  ASSERT_TRUE(on_demand("new").ok());
  EXPECT_TRUE(manager->evictable("old", 1));
  EXPECT_FALSE(manager->evictable("pinned", 1));
  tensor->started[1]->used = Clock::now() - std::chrono::seconds(60);  // "old" is the least recently used
  manager->set_memory_budget(250);
  ASSERT_TRUE(on_demand("third").ok());  // 400 bytes > 250: "old", then "new" go; "pinned" and "third" stay
  EXPECT_EQ(manager->find("old", 1), nullptr);
  EXPECT_EQ(manager->find("new", 1), nullptr);
  EXPECT_NE(manager->find("pinned", 1), nullptr);
  EXPECT_NE(manager->find("third", 1), nullptr);
  EXPECT_TRUE(tensor->started[1]->drained);
}

TEST_F(Fixture, KillAllNowKillsEveryKind) {
  ASSERT_TRUE(load("m", 1, "trees").ok());
  ASSERT_TRUE(load("chat", 1, "words").ok());
  manager->kill_all_now();
  EXPECT_TRUE(tensor->started[0]->killed);
  EXPECT_TRUE(generative->started[0]->killed);
}

}  // namespace
}  // namespace maas::runtime
