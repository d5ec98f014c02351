// Sources: credentials sealed under the installation's secret, and paths confined to sources.file_roots.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "data/sources/file_roots.h"
#include "data/sources/secret_box.h"
#include "data/sources/source.h"
#include "temp_dir.h"

namespace maas::data::sources {
namespace {

using testing::TempDir;

TEST(SecretBox, SealsAndOpensUnderTheSameSecretOnly) {
  const std::string secret(32, 'k');
  auto sealed = seal_secret(secret, "hunter2");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->find("hunter2"), std::string::npos);
  EXPECT_EQ(*open_secret(secret, *sealed), "hunter2");
  EXPECT_NE(*seal_secret(secret, "hunter2"), *sealed);  // a fresh nonce each time
  EXPECT_FALSE(open_secret(std::string(32, 'x'), *sealed).ok());
  std::string tampered = *sealed;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(open_secret(secret, tampered).ok());
  EXPECT_EQ(*seal_secret(secret, ""), "");
}

TEST(FileRoots, RefusesPathsOutsideTheRootsAsTextAndThroughLinks) {
  TempDir dir;
  std::filesystem::create_directories(dir / "root");
  std::filesystem::create_directories(dir / "outside");
  { std::ofstream(dir / "root" / "a.csv") << "x\n1\n"; }
  { std::ofstream(dir / "outside" / "b.csv") << "x\n1\n"; }
  std::filesystem::create_symlink(dir / "outside" / "b.csv", dir / "root" / "link.csv");
  const FileRoots roots{dir / "root"};
  EXPECT_TRUE(check_under_roots((dir / "root" / "a.csv").string(), roots).ok());
  EXPECT_FALSE(check_under_roots((dir / "outside" / "b.csv").string(), roots).ok());
  EXPECT_FALSE(check_under_roots((dir / "root" / ".." / "outside" / "b.csv").string(), roots).ok());
  EXPECT_FALSE(check_under_roots("a.csv", roots).ok());
  EXPECT_FALSE(check_under_roots((dir / "root" / "a.csv").string(), {}).ok());      // no roots: off
  EXPECT_FALSE(check_under_roots((dir / "rootx" / "a.csv").string(), roots).ok());  // a prefix is not a parent
  EXPECT_FALSE(resolve_file((dir / "root" / "link.csv").string(), roots).ok());
  auto files = expand_files((dir / "root" / "*.csv").string(), roots);
  EXPECT_FALSE(files.ok());  // the glob matches the link, which leads out
  std::filesystem::remove(dir / "root" / "link.csv");
  files = expand_files((dir / "root" / "*.csv").string(), roots);
  ASSERT_TRUE(files.ok()) << files.status().message();
  EXPECT_EQ(files->size(), 1u);
  EXPECT_FALSE(expand_files((dir / "root" / "*.tsv").string(), roots).ok());
}

TEST(SourceConfig, TakesThePasswordOutAndFillsDefaults) {
  auto checked = check_config("postgres", {{"database", "db"}, {"user", "u"}, {"password", "p"}, {"table", "t"}}, {});
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  EXPECT_EQ(*checked->password, "p");
  EXPECT_FALSE(checked->config.contains("password"));
  EXPECT_EQ(checked->config["port"], 5432);
  EXPECT_FALSE(check_config("postgres", {{"database", "db"}, {"user", "u"}}, {}).ok());  // no table or query
  EXPECT_FALSE(check_config("postgres", {{"database", 1}, {"user", "u"}, {"table", "t"}}, {}).ok());
  EXPECT_FALSE(check_config("push", {{"extra", 1}}, {}).ok());
  EXPECT_FALSE(check_config("kafka", nlohmann::json::object(), {}).ok());
  Source source;
  source.kind = "postgres";
  source.sealed_secret = "v1:x";
  EXPECT_EQ(source_json(source)["credentials"]["password"], "set");
}

}  // namespace
}  // namespace maas::data::sources
