// A fresh directory under the system temp dir, removed with its contents when the test ends.
#pragma once

#include <filesystem>
#include <string>

#include "common/random.h"

namespace maas::data::testing {

class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / ("maas-data-test-" + random_hex(8))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace maas::data::testing
