#include "artifacts/verify_job.h"

#include <chrono>

#include "artifacts/blob_layout.h"
#include "common/json_parse.h"
#include "common/sha256.h"

namespace maas::artifacts {
namespace {

using nlohmann::json;

constexpr auto kCheckpointInterval = std::chrono::seconds(1);

// What a run has done so far; the checkpoint is this, as JSON.
struct Progress {
  std::string last_digest;  // blobs up to and including this one are done
  uint64_t checked = 0;
  uint64_t bytes = 0;
  json corrupt = json::array();

  json to_json() const { return {{"last", last_digest}, {"checked", checked}, {"bytes", bytes}, {"corrupt", corrupt}}; }
  static Progress from(const std::optional<std::string>& checkpoint) {
    Progress p;
    if (!checkpoint) return p;
    json j = parse_json_or(*checkpoint, json());
    if (!j.is_object()) return p;
    if (auto it = j.find("last"); it != j.end() && it->is_string()) p.last_digest = it->get<std::string>();
    if (auto it = j.find("checked"); it != j.end() && it->is_number_unsigned()) p.checked = it->get<uint64_t>();
    if (auto it = j.find("bytes"); it != j.end() && it->is_number_unsigned()) p.bytes = it->get<uint64_t>();
    if (auto it = j.find("corrupt"); it != j.end() && it->is_array()) p.corrupt = *it;
    return p;
  }
};

}  // namespace

jobs::JobKind verify_job_kind(std::filesystem::path root, std::function<Result<std::set<std::string>>()> referenced) {
  jobs::JobKind kind;
  kind.name = kVerifyJobKind;
  kind.description = "re-hash every artifact blob; report corrupt blobs and missing blobs that versions reference";
  kind.resources = {1, 256ull << 20};  // hashing streams in chunks
  kind.validate = [root = std::move(root), referenced = std::move(referenced)](const json& params) -> Result<json> {
    if (!params.empty()) return invalid_argument("an artifacts.verify job takes no parameters");
    MAAS_ASSIGN_OR_RETURN(std::set<std::string> expected, referenced());
    return json{{"artifacts_dir", root.string()}, {"expected", expected}};
  };
  return kind;
}

Status verify_artifacts(jobs::JobContext& context) {
  const json& params = context.params();
  auto dir = params.find("artifacts_dir");
  auto expected_list = params.find("expected");
  if (dir == params.end() || !dir->is_string() || expected_list == params.end() || !expected_list->is_array()) {
    return invalid_argument("artifacts.verify: params need artifacts_dir and expected");
  }
  std::vector<BlobFile> blobs = list_blob_files(dir->get<std::string>());
  Progress done = Progress::from(context.checkpoint());
  if (done.checked > 0) {
    context.log(jobs::LogLevel::kInfo, "resuming after " + std::to_string(done.checked) + " blobs checked");
  }
  auto total = static_cast<double>(std::max<size_t>(blobs.size(), 1));
  auto last_checkpoint = std::chrono::steady_clock::now();
  for (const auto& blob : blobs) {
    if (blob.digest <= done.last_digest) continue;
    if (context.cancelled()) return unavailable("cancelled after " + std::to_string(done.checked) + " blobs");
    std::error_code ec;
    uint64_t size = std::filesystem::file_size(blob.path, ec);
    auto actual = sha256_file(blob.path);
    if (!actual.ok() || *actual != blob.digest) {
      std::string why = actual.ok() ? "its content hashes to sha256:" + *actual : actual.status().message();
      context.log(jobs::LogLevel::kError, "blob sha256:" + blob.digest + " is corrupt: " + why);
      done.corrupt.push_back(blob.digest);
    }
    done.last_digest = blob.digest;
    done.checked += 1;
    done.bytes += ec ? 0 : size;
    context.progress(static_cast<double>(done.checked) / total,
                     std::to_string(done.checked) + " of " + std::to_string(blobs.size()) + " blobs",
                     {{"blobs_checked", static_cast<double>(done.checked)},
                      {"corrupt", static_cast<double>(done.corrupt.size())},
                      {"bytes", static_cast<double>(done.bytes)}});
    if (std::chrono::steady_clock::now() - last_checkpoint >= kCheckpointInterval) {
      MAAS_RETURN_IF_ERROR(context.save_checkpoint(done.to_json().dump()));
      last_checkpoint = std::chrono::steady_clock::now();
    }
  }
  json missing = json::array();
  for (const auto& digest : *expected_list) {
    if (!digest.is_string()) continue;
    std::error_code ec;
    if (!std::filesystem::exists(blob_path(dir->get<std::string>(), digest.get<std::string>()), ec)) {
      context.log(jobs::LogLevel::kError, "blob sha256:" + digest.get<std::string>() + " is referenced by a version but missing");
      missing.push_back(digest);
    }
  }
  context.progress(1.0, std::to_string(done.checked) + " blobs checked", {});
  context.set_result({{"checked", done.checked},
                      {"bytes", done.bytes},
                      {"corrupt", done.corrupt},
                      {"missing", missing},
                      {"ok", done.corrupt.empty() && missing.empty()}});
  return {};
}

}  // namespace maas::artifacts
