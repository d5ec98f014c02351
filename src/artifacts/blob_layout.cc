#include "artifacts/blob_layout.h"

#include <algorithm>

namespace maas::artifacts {
namespace fs = std::filesystem;

bool is_hex_digest(const std::string& d) {
  if (d.size() != 64) return false;
  for (char c : d) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

fs::path blob_path(const fs::path& root, const std::string& digest) {
  return root / "blobs" / "sha256" / digest.substr(0, 2) / digest;
}

std::vector<BlobFile> list_blob_files(const fs::path& root) {
  std::vector<BlobFile> out;
  std::error_code ec;
  for (const auto& shard : fs::directory_iterator(root / "blobs" / "sha256", ec)) {
    if (!shard.is_directory(ec)) continue;
    for (const auto& blob : fs::directory_iterator(shard.path(), ec)) {
      std::string name = blob.path().filename().string();
      if (is_hex_digest(name)) out.push_back({name, blob.path()});
    }
  }
  std::sort(out.begin(), out.end(), [](const BlobFile& a, const BlobFile& b) { return a.digest < b.digest; });
  return out;
}

}  // namespace maas::artifacts
