// The model registry: the rules of models, versions, aliases and lifecycle on top of the metadata store and
// the artifact store. It validates names and references, inspects uploaded artifacts before anything is
// recorded, and keeps the two stores consistent (a version is visible only once its blob is durable).
//
// Thread-safety: all methods may be called concurrently; the stores serialize what must be serialized.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/artifact_store.h"
#include "common/element_count.h"
#include "common/status.h"
#include "formats/format.h"
#include "store/metadata_store.h"

namespace maas::registry {

struct ModelView {
  store::ModelRecord model;
  std::map<std::string, int64_t> aliases;
};

struct VersionView {
  store::VersionRecord version;
  std::vector<std::string> aliases;
  std::vector<store::StateTransition> history;
};

struct ModelPage {
  std::vector<ModelView> models;
  std::string next_page_token;  // empty: no more
};

struct VersionPage {
  std::vector<VersionView> versions;
  std::string next_page_token;
};

class Registry {
 public:
  Registry(store::MetadataStore& metadata, artifacts::ArtifactStore& artifacts) : metadata_(metadata), artifacts_(artifacts) {}

  Result<ModelView> create_model(const store::NewModel& model);
  Result<ModelView> get_model(const std::string& name);
  // `page_token` is what a previous page returned (opaque to clients).
  Result<ModelPage> list_models(store::ModelQuery query, const std::string& page_token);
  Result<ModelView> update_model(const std::string& name, const store::ModelPatch& patch);
  Status delete_model(const std::string& name);

  // Resolves a version reference: a number, an alias, or "latest".
  Result<int64_t> resolve(const std::string& model, const std::string& ref);

  // Checks that the model exists before any byte of an upload is accepted.
  Status check_can_upload(const std::string& model);
  Result<std::unique_ptr<artifacts::Upload>> begin_upload() { return artifacts_.begin_upload(); }
  // Inspects the finished upload as `framework` (detected when absent), stores its blob and records the version.
  // On any error nothing is recorded and the temp file is removed.
  Result<VersionView> finish_upload(const std::string& model, artifacts::Upload& upload,
                                    std::optional<formats::Framework> framework, const std::string& actor);

  Result<VersionView> get_version(const std::string& model, const std::string& ref);
  Result<VersionPage> list_versions(const std::string& model, store::VersionQuery query, const std::string& page_token);
  // `force`: an admin overrides the transition guard (set_transition_guard).
  Result<VersionView> update_version(const std::string& model, const std::string& ref, const store::VersionPatch& patch,
                                     bool force = false);
  // Stores one evaluation's metrics and lineage entry on the version atomically (store::MetadataStore::add_evaluation).
  Result<VersionView> add_evaluation(const std::string& model, const std::string& ref,
                                     const store::Evaluation& evaluation);
  Status delete_version(const std::string& model, const std::string& ref);
  // The artifact's path, its digest re-verified.
  Result<std::filesystem::path> artifact_path(const std::string& model, const std::string& ref, std::string* digest);

  Result<int64_t> set_alias(const std::string& model, const std::string& alias, int64_t version);
  Result<int64_t> get_alias(const std::string& model, const std::string& alias);
  Status delete_alias(const std::string& model, const std::string& alias);

  Result<artifacts::GcReport> collect_garbage();
  // Tells the registry whether a version is deployed (loaded by the runtime); deployed versions cannot be
  // deleted. Set once at start-up, before requests are served.
  void set_deployment_check(std::function<bool(const std::string& model, int64_t version)> deployed) {
    deployed_ = std::move(deployed);
  }
  // Checks a state change before it is written: an error (e.g. FAILED_PRECONDITION: a version not validated yet
  // may not become ready) refuses the update. Set once at start-up, before requests are served.
  using TransitionGuard = std::function<Status(const std::string& model, const store::VersionRecord& current,
                                               const store::VersionPatch& patch, bool force)>;
  void set_transition_guard(TransitionGuard guard) { guard_ = std::move(guard); }
  // Told of each new version once it is complete (an upload, or a trained version with its lineage): its
  // creators call announce_version; validation policies start there. Set once at start-up.
  using VersionListener = std::function<void(const std::string& model, int64_t version, const std::string& actor)>;
  void set_version_listener(VersionListener listener) { listener_ = std::move(listener); }
  void announce_version(const std::string& model, int64_t version, const std::string& actor) {
    if (listener_) listener_(model, version, actor);
  }
  artifacts::ArtifactStore& artifacts() { return artifacts_; }
  // FAILED_PRECONDITION naming the version when it (or, without `version`, any of the model's) is deployed.
  Status check_not_deployed(const std::string& model, std::optional<int64_t> version);
  // limits.max_tensor_elements: an upload whose declared inputs claim more per row is refused (400 naming the
  // input), since no request could fill it and its warm-up could not be allocated. Set once at start-up.
  void set_max_tensor_elements(uint64_t max_elements) { max_tensor_elements_ = max_elements; }
  // What another component checks of an upload once its format is known, before it is stored (a maas-graph's steps
  // must name registered versions): an error refuses the upload. Set once at start-up.
  using UploadCheck = std::function<Status(const std::string& model, const formats::ArtifactInfo& info)>;
  void set_upload_check(UploadCheck check) { upload_check_ = std::move(check); }

 private:
  Result<VersionView> view_of(store::VersionRecord record);

  store::MetadataStore& metadata_;
  artifacts::ArtifactStore& artifacts_;
  std::function<bool(const std::string&, int64_t)> deployed_;
  TransitionGuard guard_;
  VersionListener listener_;
  uint64_t max_tensor_elements_ = kDefaultMaxTensorElements;
  UploadCheck upload_check_;
};

}  // namespace maas::registry
