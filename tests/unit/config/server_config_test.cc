#include "config/server_config.h"

#include <gtest/gtest.h>

#include <fstream>

namespace maas::config {
namespace {

TEST(ServerConfig, LaterLayersWin) {
  auto c = build_config({{{"server.listen", "0.0.0.0:1"}, {"log.level", "debug"}}, {{"server.listen", "127.0.0.1:9"}}});
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->listen_host, "127.0.0.1");
  EXPECT_EQ(c->listen_port, 9);
  EXPECT_EQ(c->log_level, "debug");
  EXPECT_GE(c->threads, 1);
}

TEST(ServerConfig, RejectsBadValuesNamingTheSetting) {
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"server.listen", "nohost"}, {"server.listen", "h:99999"}, {"server.threads", "-1"},
           {"limits.max_artifact_bytes", "lots"}, {"server.idle_timeout_ms", "0"}, {"log.format", "xml"}}) {
    auto c = build_config({{{key, value}}});
    ASSERT_FALSE(c.ok()) << key << "=" << value;
    EXPECT_NE(c.status().message().find(key.substr(0, key.find('.'))), std::string::npos) << c.status().message();
  }
}

TEST(ServerConfig, ConnectionAndBodyBudgetLimitsHaveDefaultsAndAreChecked) {
  auto defaults = build_config({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->max_connections_per_address, 256);
  EXPECT_EQ(defaults->max_buffered_body_bytes, 1ull << 30);
  auto off = build_config({{{"limits.max_connections_per_address", "0"}, {"limits.max_buffered_body_bytes", "0"}}});
  ASSERT_TRUE(off.ok()) << off.status().to_string();
  EXPECT_EQ(off->max_connections_per_address, 0);
  EXPECT_EQ(off->max_buffered_body_bytes, 0u);
  EXPECT_FALSE(build_config({{{"limits.max_connections_per_address", "-1"}}}).ok());
  // A budget that could never hold one body the limits allow is refused at start, naming both settings.
  auto small = build_config({{{"limits.max_buffered_body_bytes", "32MiB"}}});
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.status().message().find("limits.max_buffered_body_bytes"), std::string::npos);
  EXPECT_NE(small.status().message().find("limits.max_infer_body_bytes"), std::string::npos);
  EXPECT_TRUE(build_config({{{"limits.max_buffered_body_bytes", "64MiB"}}}).ok());
}

TEST(ServerConfig, TensorAndWorkerMemoryLimits) {
  auto defaults = build_config({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->max_tensor_elements, uint64_t{1} << 28);
  EXPECT_FALSE(defaults->worker_memory_limit_bytes.has_value());  // auto
  auto set = build_config({{{"limits.max_tensor_elements", "1024"}, {"runtime.worker_memory_limit", "2GiB"}}});
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  EXPECT_EQ(set->max_tensor_elements, 1024u);
  EXPECT_EQ(set->worker_memory_limit_bytes, uint64_t{2} << 30);
  auto none = build_config({{{"runtime.worker_memory_limit", "0"}}, {}});
  EXPECT_EQ(none->worker_memory_limit_bytes, 0u);
  auto back = build_config({{{"runtime.worker_memory_limit", "1GiB"}}, {{"runtime.worker_memory_limit", "auto"}}});
  EXPECT_FALSE(back->worker_memory_limit_bytes.has_value());
  for (const char* bad : {"0", "-1", "1099511627777", "many"}) {
    auto c = build_config({{{"limits.max_tensor_elements", bad}}});
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_NE(c.status().message().find("limits.max_tensor_elements"), std::string::npos);
  }
  EXPECT_FALSE(build_config({{{"runtime.worker_memory_limit", "lots"}}}).ok());
}

TEST(ServerConfig, DataCenterSettingsHaveDefaultsAndBounds) {
  auto c = build_config({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->datasets_max_concurrent_imports, 2);
  EXPECT_EQ(c->datasets_memory_limit_bytes, 1ull << 30);
  EXPECT_EQ(c->rules_discover_max_body_bytes, 64ull << 20);
  c = build_config({{{"datasets.memory_limit", "256MiB"}, {"datasets.threads", "0"},
                     {"rules.discover_max_body_bytes", "1KiB"}}});
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->datasets_memory_limit_bytes, 256ull << 20);
  EXPECT_EQ(c->datasets_threads, 0);
  EXPECT_EQ(c->rules_discover_max_body_bytes, 1024u);
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"datasets.memory_limit", "32MiB"}, {"datasets.max_concurrent_imports", "0"},
           {"datasets.max_concurrent_downloads", "-1"}, {"datasets.max_preview_rows", "0"},
           {"rules.discover_max_body_bytes", "0"}, {"rules.discover_max_concurrent", "65"}}) {
    auto bad = build_config({{{key, value}}});
    ASSERT_FALSE(bad.ok()) << key << "=" << value;
    EXPECT_NE(bad.status().message().find(key), std::string::npos) << bad.status().message();
  }
}

TEST(ServerConfig, ParsesSizesWithUnits) {
  EXPECT_EQ(*parse_size("1024"), 1024u);
  EXPECT_EQ(*parse_size("8GiB"), 8ull << 30);
  EXPECT_EQ(*parse_size("512 MiB"), 512ull << 20);
  EXPECT_EQ(*parse_size("1MB"), 1000000u);
  EXPECT_FALSE(parse_size("GiB").ok());
  EXPECT_FALSE(parse_size("99999999999TiB").ok());
}

TEST(ServerConfig, ReadsNestedYamlAndRefusesUnknownKeys) {
  auto dir = std::filesystem::path(::testing::TempDir());
  std::ofstream(dir / "ok.yaml") << "server:\n  listen: 127.0.0.1:7000\nlimits:\n  max_artifact_bytes: 2GiB\n";
  auto raw = read_yaml_settings(dir / "ok.yaml");
  ASSERT_TRUE(raw.ok()) << raw.status().to_string();
  EXPECT_EQ(raw->at("limits.max_artifact_bytes"), "2GiB");
  std::ofstream(dir / "typo.yaml") << "limits:\n  max_artifact_byte: 1\n";
  auto typo = read_yaml_settings(dir / "typo.yaml");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("limits.max_artifact_byte"), std::string::npos);
  EXPECT_FALSE(read_yaml_settings(dir / "missing.yaml").ok());
}

TEST(ServerConfig, SecuritySettingsHaveSafeDefaultsAndAreValidated) {
  auto defaults = build_config({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->audit_retention_ms, 90LL * 24 * 3'600'000);
  EXPECT_EQ(defaults->audit_max_rows, 1'000'000);
  EXPECT_EQ(defaults->logs_creation_grace_period_ms, 600'000);
  EXPECT_FALSE(defaults->logs_accept_maasd_pushes);
  EXPECT_EQ(defaults->outbound_deny, OutboundPolicy::default_deny());
  auto open = build_config({{{"outbound.deny", ""}, {"outbound.allow", "10.0.0.0/8, hooks.example.com"}}});
  ASSERT_TRUE(open.ok()) << open.status().to_string();
  EXPECT_TRUE(open->outbound_deny.empty());
  auto bad = build_config({{{"outbound.deny", "169.254.0.0/40"}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("outbound.deny: '169.254.0.0/40'"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(build_config({{{"audit.max_field_bytes", "8"}}}).ok());
  EXPECT_FALSE(build_config({{{"audit.anonymous_records_per_second", "-1"}}}).ok());
}

TEST(ServerConfig, PicksOnlyKnownEnvironmentVariables) {
  std::string a = "MAAS_LISTEN=127.0.0.1:1234", b = "MAAS_UNRELATED=1", c = "PATH=/bin";
  char* env[] = {a.data(), b.data(), c.data(), nullptr};
  auto raw = read_env_settings(env);
  EXPECT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw.at("server.listen"), "127.0.0.1:1234");
}

TEST(ServerConfig, JobSettingsHaveDefaultsAndAreChecked) {
  auto c = build_config({});
  ASSERT_TRUE(c.ok());
  EXPECT_GE(c->jobs_slots, 2) << "at least two, so a one-core machine still runs a job beside serving's reserve";
  EXPECT_EQ(c->jobs_serving_reserved_slots, 1);
  EXPECT_EQ(c->jobs_max_queued_per_key, 100);
  EXPECT_EQ(c->jobs_max_checkpoint_bytes, 256ull << 20);
  EXPECT_EQ(c->process_limits, "auto");
  auto set = build_config({{{"jobs.slots", "8"}, {"jobs.serving_reserved_slots", "2"}, {"supervisor.limits", "rlimit"},
                            {"jobs.plugins", "/a/libmaas_jobs_x.so,/b/libmaas_jobs_y.so"}}});
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  EXPECT_EQ(set->jobs_slots, 8);
  EXPECT_EQ(set->jobs_plugins.size(), 2u);
  auto starved = build_config({{{"jobs.slots", "2"}, {"jobs.serving_reserved_slots", "2"}}});
  ASSERT_FALSE(starved.ok());
  EXPECT_NE(starved.status().message().find("must be below jobs.slots"), std::string::npos);
  EXPECT_FALSE(build_config({{{"supervisor.limits", "cgroups"}}}).ok());
  EXPECT_FALSE(build_config({{{"jobs.plugins", "relative.so"}}}).ok());
}

TEST(ServerConfig, AYamlListReadsAsTheCommaSeparatedForm) {
  auto dir = std::filesystem::path(::testing::TempDir());
  std::ofstream(dir / "list.yaml") << "jobs:\n  plugins:\n    - /p/libmaas_jobs_a.so\n    - /p/libmaas_jobs_b.so\n";
  auto raw = read_yaml_settings(dir / "list.yaml");
  ASSERT_TRUE(raw.ok()) << raw.status().to_string();
  EXPECT_EQ(raw->at("jobs.plugins"), "/p/libmaas_jobs_a.so,/p/libmaas_jobs_b.so");
  std::ofstream(dir / "nested.yaml") << "jobs:\n  plugins:\n    - {a: 1}\n";
  EXPECT_FALSE(read_yaml_settings(dir / "nested.yaml").ok());
}

}  // namespace
}  // namespace maas::config
