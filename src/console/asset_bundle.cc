#include "console/asset_bundle.h"

#include <system_error>

#include "common/files.h"
#include "common/sha256.h"

namespace maas::console {
namespace {

constexpr std::string_view kGzipSuffix = ".gz";

Status add_file(std::map<std::string, Asset, std::less<>>& assets, const std::string& name,
                const std::filesystem::path& path, uint64_t& total) {
  MAAS_ASSIGN_OR_RETURN(std::string bytes, read_file(path, AssetBundle::kMaxBytes));
  total += bytes.size();
  if (total > AssetBundle::kMaxBytes) {
    return invalid_argument("console.dir: more than 64 MiB of files; is it the console's build (share/maas/console)?");
  }
  if (name.ends_with(kGzipSuffix)) {
    assets[name.substr(0, name.size() - kGzipSuffix.size())].gzip = std::move(bytes);
    return {};
  }
  Asset& asset = assets[name];
  Sha256 hash;
  hash.update(bytes);
  asset.etag = "\"" + hash.hex_digest().substr(0, 32) + "\"";
  asset.content_type = std::string(content_type_for(name));
  asset.immutable = name.starts_with("assets/");
  asset.body = std::move(bytes);
  return {};
}

}  // namespace

std::string_view content_type_for(std::string_view name) {
  struct Type {
    std::string_view extension, type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},     {".json", "application/json"},
      {".svg", "image/svg+xml"},               {".png", "image/png"},
      {".ico", "image/x-icon"},                {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},   {".map", "application/json"},
  };
  for (const auto& t : kTypes) {
    if (name.ends_with(t.extension)) return t.type;
  }
  return "application/octet-stream";
}

Result<AssetBundle> AssetBundle::load(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dir / "index.html", ec)) {
    return Status(StatusCode::kNotFound, "the console's build is not in " + dir.string() + " (no index.html)");
  }
  AssetBundle bundle;
  uint64_t total = 0;
  // Symbolic links are neither followed nor read: only what the build wrote in the directory is served.
  std::filesystem::recursive_directory_iterator it(dir, std::filesystem::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it->is_symlink(ec) || !it->is_regular_file(ec)) continue;
    std::string name = std::filesystem::relative(it->path(), dir, ec).generic_string();
    if (ec) break;
    MAAS_RETURN_IF_ERROR(add_file(bundle.assets_, name, it->path(), total));
  }
  if (ec) return internal_error("cannot read the console's build in " + dir.string() + ": " + ec.message());
  // A .gz without its original is not served.
  std::erase_if(bundle.assets_, [](const auto& entry) { return entry.second.content_type.empty(); });
  return bundle;
}

const Asset* AssetBundle::find(std::string_view name) const {
  auto it = assets_.find(name);
  return it == assets_.end() ? nullptr : &it->second;
}

}  // namespace maas::console
