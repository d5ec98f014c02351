#include "data/sources/rows_file.h"

namespace maas::data::sources {

Result<RowsFile> RowsFile::create(const std::filesystem::path& path) {
  std::FILE* file = std::fopen(path.c_str(), "wbx");
  if (!file) return internal_error("cannot create " + path.string());
  return RowsFile(path, file);
}

RowsFile::~RowsFile() {
  if (file_) std::fclose(file_);
}

Status RowsFile::write(const nlohmann::json& row) {
  std::string line = row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line += '\n';
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
    return internal_error("cannot write " + path_.string() + " (disk full?)");
  }
  ++rows_;
  return {};
}

Status RowsFile::close() {
  std::FILE* file = file_;
  file_ = nullptr;
  if (std::fclose(file) != 0) return internal_error("cannot write " + path_.string() + " (disk full?)");
  return {};
}

}  // namespace maas::data::sources
