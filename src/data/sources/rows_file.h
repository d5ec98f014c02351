// A JSON Lines file of rows that a reader fills: one object per row, invalid UTF-8 replaced. Owned by one thread.
#pragma once

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace maas::data::sources {

class RowsFile {
 public:
  static Result<RowsFile> create(const std::filesystem::path& path);
  RowsFile(RowsFile&& other) noexcept : path_(std::move(other.path_)), file_(other.file_), rows_(other.rows_) {
    other.file_ = nullptr;
  }
  RowsFile& operator=(RowsFile&&) = delete;
  ~RowsFile();

  Status write(const nlohmann::json& row);
  // Flushes and closes; the file is complete once this returns OK.
  Status close();
  int64_t rows() const { return rows_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  RowsFile(std::filesystem::path path, std::FILE* file) : path_(std::move(path)), file_(file) {}

  std::filesystem::path path_;
  std::FILE* file_;
  int64_t rows_ = 0;
};

}  // namespace maas::data::sources
