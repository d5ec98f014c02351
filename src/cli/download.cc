// `maas versions download MODEL REF -o FILE`: streams an artifact to a temporary file beside FILE, checks its
// digest against the ETag, and renames it into place, so FILE is never left half-written.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "common/files.h"
#include "common/random.h"
#include "common/sha256.h"

namespace maas::cli {
namespace {

namespace fs = std::filesystem;

struct DownloadArgs {
  std::string model;
  std::string ref_text;
  CLI::Option* ref_option = nullptr;
  std::string output;
};

// A file being written under a temporary name; removed unless committed.
class TempFile {
 public:
  explicit TempFile(fs::path final_path) : final_path_(std::move(final_path)) {
    temp_path_ = final_path_;
    temp_path_ += ".part-" + random_hex(4);
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && created_) ::unlink(temp_path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  Status open() {
    fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) return internal_error("cannot create " + temp_path_.string() + ": " + std::strerror(errno));
    created_ = true;
    return {};
  }

  Status write(const char* data, size_t size) {
    while (size > 0) {
      const ssize_t written = ::write(fd_, data, size);
      if (written < 0 && errno == EINTR) continue;
      if (written < 0) return internal_error("writing " + temp_path_.string() + ": " + std::strerror(errno));
      data += written;
      size -= static_cast<size_t>(written);
    }
    return {};
  }

  // fsync, close, rename over the final path, fsync the directory: the file appears whole or not at all.
  Status commit() {
    if (::fsync(fd_) != 0) return internal_error("fsync " + temp_path_.string() + ": " + std::strerror(errno));
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return internal_error("closing " + temp_path_.string() + ": " + std::strerror(errno));
    std::error_code ec;
    fs::rename(temp_path_, final_path_, ec);
    if (ec) return internal_error("renaming to " + final_path_.string() + ": " + ec.message());
    committed_ = true;
    fs::path directory = final_path_.parent_path();
    return fsync_directory(directory.empty() ? fs::path(".") : directory);
  }

 private:
  fs::path final_path_;
  fs::path temp_path_;
  int fd_ = -1;
  bool created_ = false;
  bool committed_ = false;
};

// `ETag: "sha256:..."` -> `sha256:...`.
std::string unquote(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return etag;
}

ExitCode run_download(CommandContext& context, const DownloadArgs& args) {
  auto target =
      parse_version_target(args.model, args.ref_option->count() > 0 ? std::optional(args.ref_text) : std::nullopt);
  if (!target.ok()) return report_usage_error(target.status().message());
  if (fs::is_directory(args.output)) return report_usage_error(args.output + " is a directory; name the file");

  TempFile file{fs::path(args.output)};
  if (Status status = file.open(); !status.ok()) return report_local_error(status.message());

  Sha256 hasher;
  ProgressBar progress(std::nullopt, ProgressBar::stderr_is_terminal());
  uint64_t received = 0;
  std::string expected_digest;
  std::string local_error;
  const HeadCallback on_head = [&](const HttpResponse& head) {
    progress.set_total(head.content_length);
    expected_digest = unquote(head.etag);
    return Status();
  };
  const BodySink sink = [&](const char* data, size_t size) {
    Status status = file.write(data, size);
    if (!status.ok()) {
      local_error = status.message();
      return status;
    }
    hasher.update(data, size);
    received += size;
    progress.update(received);
    return Status();
  };

  auto response = context.api.http().get_streaming(artifact_path(target->model, target->ref), on_head, sink);
  progress.finish();
  if (!local_error.empty()) return report_local_error(local_error);
  if (!response.ok()) return report_failure(response.status());
  if (auto decoded = decode_response(*response); !decoded.ok()) return report_failure(decoded.status());

  const std::string actual_digest = "sha256:" + hasher.hex_digest();
  // Only a sha256 ETag is a digest; a server that sends another kind (or none) is not contradicted.
  if (expected_digest.rfind("sha256:", 0) == 0 && expected_digest != actual_digest) {
    return report_local_error("the downloaded bytes hash to " + actual_digest + " but the server announced " +
                              expected_digest + "; " + args.output + " was not written");
  }
  if (Status status = file.commit(); !status.ok()) return report_local_error(status.message());
  std::cerr << format_transfer_summary("downloaded", received, progress.elapsed_seconds()) << " to " << args.output
            << '\n';
  return ExitCode::kOk;
}

}  // namespace

void add_download_command(CLI::App& versions, CommandSelection& selection) {
  auto args = std::make_shared<DownloadArgs>();
  CLI::App* command = versions.add_subcommand("download", "Download a version's artifact to a file");
  command->add_option("model", args->model, "Model name, or MODEL@REF")->required();
  args->ref_option =
      command->add_option("ref", args->ref_text, "Version number, alias or 'latest' (or give MODEL@REF)");
  // Not --output: that global option picks table or json.
  command->add_option("-o,--file", args->output, "File to write (appears only once complete and verified)")->required();
  command->callback([&selection, args] {
    selection.action = [args](CommandContext& context) { return run_download(context, *args); };
  });
}

}  // namespace maas::cli
