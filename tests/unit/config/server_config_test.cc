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

TEST(ServerConfig, PicksOnlyKnownEnvironmentVariables) {
  std::string a = "MAAS_LISTEN=127.0.0.1:1234", b = "MAAS_UNRELATED=1", c = "PATH=/bin";
  char* env[] = {a.data(), b.data(), c.data(), nullptr};
  auto raw = read_env_settings(env);
  EXPECT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw.at("server.listen"), "127.0.0.1:1234");
}

}  // namespace
}  // namespace maas::config
