// The console's built files (index.html, hashed scripts and styles, their gzip forms), read into memory once at
// start, so that a request never builds a file path from its URL.
// Immutable after load(): safe to read from every I/O thread at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas::console {

struct Asset {
  std::string body;
  std::string gzip;          // the body gzipped at build time (name.gz beside it); empty when there was none
  std::string content_type;
  std::string etag;          // a strong validator: the quoted start of the body's SHA-256
  bool immutable = false;    // under assets/: the name holds a hash of the content, so it may be cached for ever
};

class AssetBundle {
 public:
  // A sanity bound on what is read into memory: the console's build is a few hundred KiB, so a directory over
  // this is a console.dir that points somewhere else.
  static constexpr uint64_t kMaxBytes = 64ull << 20;

  // Reads every regular file under `dir` (symbolic links are skipped, so nothing outside it is read). `dir` must
  // hold index.html.
  static Result<AssetBundle> load(const std::filesystem::path& dir);

  // `name` is relative to the directory, '/'-separated ("assets/app-4F2XQ7.js"); null when absent.
  const Asset* find(std::string_view name) const;
  size_t count() const { return assets_.size(); }

 private:
  std::map<std::string, Asset, std::less<>> assets_;
};

// The Content-Type for a file name, by its extension (application/octet-stream when unknown).
std::string_view content_type_for(std::string_view name);

}  // namespace maas::console
