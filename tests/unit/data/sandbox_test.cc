// A database opened for a user's SQL reaches the source it names and nothing else of the server's files.
#include <gtest/gtest.h>

#include <fstream>

#include "data/engine/database.h"
#include "data/engine/sql_text.h"
#include "temp_dir.h"

namespace maas::data::engine {
namespace {

using testing::TempDir;

class Sandbox : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = dir_ / "source.csv";
    std::ofstream(source_) << "a,b\n1,x\n2,y\n";
    secret_ = dir_ / "secret.csv";
    std::ofstream(secret_) << "password\nhunter2\n";
    std::filesystem::create_directories(dir_ / "out");
    EngineOptions options;
    options.file_access = FileAccess{{source_}, {dir_ / "out"}};
    auto db = Database::open(options);
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto c = db_->connect();
    ASSERT_TRUE(c.ok());
    connection_.emplace(std::move(c).value());
  }

  // The status of running `sql` to the end.
  Status run(const std::string& sql) {
    auto result = connection_->query(sql);
    if (!result.ok()) return result.status();
    return result->fetch_all().status();
  }

  void expect_refused(const std::string& sql) {
    Status status = run(sql);
    EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << sql << " -> " << status.to_string();
  }

  TempDir dir_;
  std::filesystem::path source_, secret_;
  std::unique_ptr<Database> db_;
  std::optional<Connection> connection_;
};

TEST_F(Sandbox, TheNamedSourceIsReadable) {
  auto result = connection_->query("SELECT sum(a)::BIGINT FROM read_csv(" + quote_literal(source_.string()) + ")");
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  auto chunk = result->fetch_all();
  ASSERT_TRUE(chunk.ok()) << chunk.status().to_string();
  EXPECT_EQ(chunk->columns[0].ints[0], 3);
  // The allowed output directory can be written and read back.
  std::string out = quote_literal((dir_ / "out" / "copy.parquet").string());
  EXPECT_TRUE(connection_->execute("COPY (SELECT 1 AS one) TO " + out + " (FORMAT parquet)").ok());
  EXPECT_TRUE(run("SELECT * FROM read_parquet(" + out + ")").ok());
}

TEST_F(Sandbox, OtherFilesAreRefused) {
  expect_refused("SELECT * FROM read_csv('/etc/passwd')");
  expect_refused("SELECT * FROM " + quote_literal(secret_.string()));
  EXPECT_FALSE(run("SELECT * FROM '/etc/passwd'").ok());
  expect_refused("SELECT * FROM read_text('/etc/hostname')");
  expect_refused("SELECT * FROM read_blob('/etc/passwd')");
  expect_refused("SELECT * FROM glob('/etc/*')");
  expect_refused("SELECT * FROM read_csv(" + quote_literal(secret_.string()) + ")");
  // A source beside a refused file does not open the refused one.
  expect_refused("SELECT * FROM read_csv([" + quote_literal(source_.string()) + ", '/etc/passwd'])");
  // Climbing out of the allowed directory.
  expect_refused("SELECT * FROM read_csv(" + quote_literal((dir_ / "out" / ".." / "secret.csv").string()) + ")");
}

TEST_F(Sandbox, WritingAttachingAndExtensionsAreRefused) {
  expect_refused("COPY (SELECT 1) TO '/tmp/maas-sandbox-escape.csv'");
  EXPECT_FALSE(std::filesystem::exists("/tmp/maas-sandbox-escape.csv"));
  expect_refused("COPY (SELECT 1) TO " + quote_literal((dir_ / "escape.csv").string()));
  expect_refused("ATTACH " + quote_literal((dir_ / "other.db").string()) + " AS other");
  expect_refused("EXPORT DATABASE " + quote_literal((dir_ / "export").string()));
  expect_refused("INSTALL httpfs");
  expect_refused("LOAD httpfs");
}

TEST_F(Sandbox, TheConfigurationCannotBeLifted) {
  for (const char* sql : {"SET enable_external_access = true", "SET allowed_paths = ['/etc/passwd']",
                          "SET allowed_directories = ['/']", "RESET lock_configuration",
                          "SET lock_configuration = false", "SET memory_limit = '100GB'"}) {
    Status status = connection_->execute(sql);
    EXPECT_FALSE(status.ok()) << sql;
    EXPECT_NE(status.message().find("locked"), std::string::npos) << sql << " -> " << status.message();
  }
  // A second connection of the same database is as locked as the first.
  auto other = db_->connect();
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->execute("SET enable_external_access = true").ok());
  auto read = other->query("SELECT * FROM read_csv('/etc/passwd')");
  EXPECT_EQ(read.status().code(), StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace maas::data::engine
