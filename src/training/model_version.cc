#include "training/model_version.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "common/sha256.h"
#include "common/version.h"

namespace maas::training {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The version this job registered before, found by the job id in its lineage or, when maasd died between the
// upload and the lineage, by its model's digest on a version without lineage.
Result<std::optional<int64_t>> registered_version(registry::Registry& models, const std::string& model,
                                                  const std::string& job_id, const std::string& digest) {
  MAAS_ASSIGN_OR_RETURN(registry::VersionPage page, models.list_versions(model, store::VersionQuery{}, ""));
  for (const registry::VersionView& v : page.versions) {
    const json& lineage = v.version.lineage;
    if (lineage.is_object() && lineage.contains("run_id") && lineage["run_id"] == job_id)
      return std::optional<int64_t>(v.version.version);
    if ((!lineage.is_object() || lineage.empty()) && v.version.digest == digest)
      return std::optional<int64_t>(v.version.version);
  }
  return std::optional<int64_t>();
}

Status ensure_model(registry::Registry& models, const std::string& name, const std::string& kind) {
  auto found = models.get_model(name);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) return found.status();
  store::NewModel model;
  model.name = name;
  model.description = "trained by maas (" + kind + ")";
  auto created = models.create_model(model);
  if (!created.ok() && created.status().code() != StatusCode::kAlreadyExists) return created.status();
  return {};
}

}  // namespace

std::string code_version() { return std::string("maas ") + kVersion + " (" + kGitCommit + ")"; }

Status register_trained_model(data::api::DataApi& api, registry::Registry& models, const jobs::SucceededJob& job,
                              const TrainedModel& trained, int64_t* version_out) {
  if (!job.result.is_object() || !job.result.contains("model_file") || !job.result["model_file"].is_string()) {
    return internal_error("the training job reported no model file");
  }
  const fs::path job_dir = (api.source_settings().data_dir / "jobs" / job.id).lexically_normal();
  const fs::path file = fs::path(job.result["model_file"].get<std::string>()).lexically_normal();
  auto [mismatch, _] = std::mismatch(job_dir.begin(), job_dir.end(), file.begin(), file.end());
  if (mismatch != job_dir.end()) return internal_error("the training job's model file is outside its directory");
  MAAS_ASSIGN_OR_RETURN(std::string digest, sha256_file(file));
  MAAS_RETURN_IF_ERROR(ensure_model(models, trained.model, trained.kind));
  MAAS_ASSIGN_OR_RETURN(std::optional<int64_t> version, registered_version(models, trained.model, job.id, digest));
  if (!version) {
    MAAS_ASSIGN_OR_RETURN(auto upload, models.begin_upload());
    // In pieces: a compressed GGUF may be gigabytes, and maasd's memory is the model workers'.
    std::ifstream in(file, std::ios::binary);
    std::vector<char> buffer(size_t{1} << 20);
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      if (in.gcount() > 0) MAAS_RETURN_IF_ERROR(upload->write(buffer.data(), static_cast<size_t>(in.gcount())));
    }
    if (!in.eof()) return internal_error("cannot read " + file.string());
    MAAS_ASSIGN_OR_RETURN(registry::VersionView view,
                          models.finish_upload(trained.model, *upload, trained.framework, job.owner));
    version = view.version.version;
  }
  if (version_out) *version_out = *version;
  store::VersionPatch patch;
  patch.lineage = trained.lineage;
  if (job.result.contains("metrics") && job.result["metrics"].is_object()) patch.metrics = job.result["metrics"];
  patch.description = trained.description.empty() ? "trained by job " + job.id : trained.description;
  MAAS_RETURN_IF_ERROR(models.update_version(trained.model, std::to_string(*version), patch).status());
  // Announced once the lineage is on it (a validation reads the recipe), and again only if a requeued job gets
  // here twice: the validation of one version is idempotent.
  models.announce_version(trained.model, *version, job.owner);
  return {};
}

}  // namespace maas::training
