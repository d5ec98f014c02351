// What the data layer's tests share: a scratch directory, a database with a spill directory in it, files written
// from strings, and single-query helpers.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "data/engine/database.h"
#include "temp_dir.h"

namespace maas::data::testing {

class DataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine::EngineOptions options;
    options.memory_limit_bytes = uint64_t{256} << 20;
    options.threads = 2;
    options.temp_directory = dir_ / "spill";
    std::filesystem::create_directories(options.temp_directory);
    auto db = engine::Database::open(options);
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto c = db_->connect();
    ASSERT_TRUE(c.ok());
    connection_.emplace(std::move(c).value());
  }

  std::filesystem::path write_file(const std::string& name, const std::string& content) {
    std::filesystem::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // All rows of `sql` in one chunk (the query must succeed).
  engine::Chunk rows(const std::string& sql) {
    auto result = connection_->query(sql);
    EXPECT_TRUE(result.ok()) << sql << ": " << result.status().to_string();
    if (!result.ok()) return {};
    auto chunk = result->fetch_all();
    EXPECT_TRUE(chunk.ok()) << chunk.status().to_string();
    return chunk.ok() ? std::move(chunk).value() : engine::Chunk{};
  }

  TempDir dir_;
  std::unique_ptr<engine::Database> db_;
  std::optional<engine::Connection> connection_;
};

}  // namespace maas::data::testing
