#include "auth/key_secret.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <openssl/rand.h>

#include "common/files.h"
#include "common/random.h"

namespace maas::auth {
namespace {

Status errno_status(const std::string& what, const std::filesystem::path& path) {
  return internal_error(what + " " + path.string() + ": " + std::strerror(errno));
}

// Writes `secret` to a temporary file beside `path` (0600, fsynced) and links it into place: link() fails rather
// than replace a file another start made meanwhile, which then wins (the caller reads it back).
Status create_secret_file(const std::filesystem::path& path, const std::string& secret) {
  auto tmp = path;
  tmp += ".tmp-" + random_hex(8);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return errno_status("cannot create", tmp);
  bool written = ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size()) && ::fsync(fd) == 0;
  Status s = written ? Status() : errno_status("cannot write", tmp);
  ::close(fd);
  if (s.ok() && ::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST) s = errno_status("cannot create", path);
  ::unlink(tmp.c_str());
  if (!s.ok()) return s;
  return fsync_directory(path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path());
}

}  // namespace

Result<std::string> open_secret_file(const std::filesystem::path& path, std::string_view name,
                                     const std::function<Result<std::string>()>& needed_by) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    MAAS_ASSIGN_OR_RETURN(std::string dependents, needed_by());
    if (!dependents.empty()) return failed_precondition(path.string() + " is missing, but " + dependents);
    std::string secret(kSecretFileBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()), static_cast<int>(secret.size())) != 1) {
      return internal_error("cannot draw random bytes for the " + std::string(name));
    }
    MAAS_RETURN_IF_ERROR(create_secret_file(path, secret));
  }
  MAAS_ASSIGN_OR_RETURN(std::string secret, read_file(path, 4096));
  if (secret.size() != kSecretFileBytes) {
    return invalid_argument(path.string() + " holds " + std::to_string(secret.size()) + " bytes, not " +
                            std::to_string(kSecretFileBytes) + ": it is not a " + std::string(name) + " maasd wrote");
  }
  return secret;
}

Result<std::string> open_key_secret(const std::filesystem::path& path, store::GatewayStore& store) {
  return open_secret_file(path, "key secret", [&store]() -> Result<std::string> {
    MAAS_ASSIGN_OR_RETURN(auto keys, store.list_keys());
    size_t hashed = 0;
    for (const auto& k : keys) hashed += k.hash_scheme == store::kHashHmacSha256 ? 1 : 0;
    if (hashed == 0) return std::string();
    return std::to_string(hashed) +
           " API key(s) in metadata.db were hashed under the secret it held: restore it from the backup of the data "
           "dir (without it those keys can never be checked)";
  });
}

}  // namespace maas::auth
