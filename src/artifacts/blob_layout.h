// Where the artifact store keeps its blobs: <root>/blobs/sha256/<2 hex>/<64 hex>. Shared by the store in maasd
// and by readers in other processes (the verification job), which must not open the store itself (opening it
// removes upload temp files).
// Thread-safety: stateless.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace maas::artifacts {

// True for 64 lowercase hex digits.
bool is_hex_digest(const std::string& digest);
std::filesystem::path blob_path(const std::filesystem::path& root, const std::string& digest);

struct BlobFile {
  std::string digest;
  std::filesystem::path path;
};
// Every blob under `root`, by digest (a stable order: a resumed walk continues after the last digest done).
std::vector<BlobFile> list_blob_files(const std::filesystem::path& root);

}  // namespace maas::artifacts
