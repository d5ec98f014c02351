// `maas upload FILE --model NAME`: streams a model file to the registry as a new version, creating the model when
// it does not exist, with a progress bar and a check that the server stored the bytes that were sent.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/url.h"
#include "common/sha256.h"

namespace maas::cli {
namespace {

using nlohmann::json;

// The server validates the whole artifact before it answers, which for gigabytes takes a while.
constexpr std::chrono::minutes kUploadResponseTimeout{10};

struct UploadArgs {
  std::string file;
  std::string model;
  std::string framework;
  std::string description;
  CLI::Option* description_option = nullptr;
  bool create = true;
};

// Owns the file descriptor of the file being uploaded.
class InputFile {
 public:
  ~InputFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  Status open(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return invalid_argument("cannot open " + path + ": " + std::strerror(errno));
    struct stat info {};
    if (::fstat(fd_, &info) != 0) return invalid_argument("cannot stat " + path + ": " + std::strerror(errno));
    if (!S_ISREG(info.st_mode)) return invalid_argument(path + " is not a regular file");
    size_ = static_cast<uint64_t>(info.st_size);
    return {};
  }
  int fd() const { return fd_; }
  uint64_t size() const { return size_; }

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
};

// Makes sure the model exists: 404 -> create it. A concurrent create (409) is as good as ours.
Status ensure_model(CommandContext& context, const std::string& model) {
  auto existing = context.api.get(model_path(model));
  if (existing.ok()) return {};
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  auto created = context.api.post(kModelsPath, json{{"name", model}});
  if (created.ok()) {
    std::cerr << "created model '" << model << "'\n";
    return {};
  }
  if (created.status().code() == StatusCode::kAlreadyExists) return {};
  return created.status();
}

}  // namespace

ExitCode upload_with_progress(CommandContext& context, const std::string& file, const std::string& path,
                              const std::string& content_type, json& answer_out, std::string& sha256_hex) {
  InputFile input;
  if (Status status = input.open(file); !status.ok()) return report_usage_error(status.message());
  Sha256 hasher;
  ProgressBar progress(input.size(), ProgressBar::stderr_is_terminal());
  uint64_t read_total = 0;
  std::string read_error;
  const BodySource source = [&](char* buffer, size_t capacity) -> Result<size_t> {
    ssize_t got = 0;
    do {
      got = ::read(input.fd(), buffer, capacity);
    } while (got < 0 && errno == EINTR);
    if (got < 0) read_error = "reading " + file + ": " + std::strerror(errno);
    if (got == 0) read_error = file + " shrank while it was being uploaded";
    if (!read_error.empty()) return internal_error(read_error);
    hasher.update(buffer, static_cast<size_t>(got));
    read_total += static_cast<uint64_t>(got);
    progress.update(read_total);
    return static_cast<size_t>(got);
  };

  auto response = context.api.http().send_streaming(HttpMethod::kPost, path, content_type, input.size(), source,
                                                    kUploadResponseTimeout);
  progress.finish();
  if (read_total == input.size()) {
    std::cerr << format_transfer_summary("uploaded", read_total, progress.elapsed_seconds()) << '\n';
  }
  if (!read_error.empty()) return report_local_error(read_error);
  if (!response.ok()) return report_failure(response.status());
  auto answer = decode_response(*response);
  if (!answer.ok()) return report_failure(answer.status());
  answer_out = std::move(*answer);
  sha256_hex = hasher.hex_digest();
  return ExitCode::kOk;
}

namespace {

ExitCode run_upload(CommandContext& context, const UploadArgs& args) {
  if (::access(args.file.c_str(), R_OK) != 0) {
    return report_usage_error("cannot open " + args.file + ": " + std::strerror(errno));
  }
  if (args.create) {
    if (Status status = ensure_model(context, args.model); !status.ok()) return report_failure(status);
  }

  std::string path = versions_path(args.model);
  if (!args.framework.empty()) append_query(path, "framework", args.framework);
  json answer;
  std::string sha256_hex;
  if (ExitCode code = upload_with_progress(context, args.file, path, "application/octet-stream", answer, sha256_hex);
      code != ExitCode::kOk) {
    return code;
  }
  Result<json> version = std::move(answer);

  // The server hashes what it stored; a different digest means the bytes changed on the way or on disk.
  const std::string expected = "sha256:" + sha256_hex;
  const std::string stored = field_text(*version, "digest");
  if (stored != expected) {
    return report_local_error("the server stored digest " + stored + " but the uploaded file is " + expected);
  }

  if (args.description_option->count() > 0) {
    auto updated = context.api.patch(version_path(args.model, field_text(*version, "version")),
                                     json{{"description", args.description}});
    if (!updated.ok()) return report_failure(updated.status());
    version = std::move(updated);
  }

  if (context.output == OutputFormat::kJson) {
    std::cout << render_json(*version);
  } else {
    std::cout << render_versions_table(json::array({*version}));
  }
  return ExitCode::kOk;
}

}  // namespace

void add_upload_command(CLI::App& app, CommandSelection& selection) {
  auto args = std::make_shared<UploadArgs>();
  CLI::App* command = app.add_subcommand("upload", "Upload a model file as a new version of a model");
  command->add_option("file", args->file, "Model file (xgboost JSON/UBJSON/binary, ONNX, GGUF, TorchScript)")
      ->required();
  command->add_option("--model,-m", args->model, "Model to add the version to")->required();
  command->add_option("--framework", args->framework,
                      "xgboost, onnx, gguf or torchscript (default: detected by the server from the bytes)");
  args->description_option = command->add_option("--description", args->description, "Description of the new version");
  command->add_flag("--create,!--no-create", args->create,
                    "Create the model when it does not exist (default), or fail with exit code 3");
  command->callback([&selection, args] {
    selection.action = [args](CommandContext& context) { return run_upload(context, *args); };
  });
}

}  // namespace maas::cli
