#include "registry/registry.h"

#include "common/names.h"
#include "common/paging.h"

namespace maas::registry {

Result<ModelView> Registry::create_model(const store::NewModel& model) {
  MAAS_RETURN_IF_ERROR(validate_name(model.name, "model"));
  MAAS_RETURN_IF_ERROR(validate_tags(model.tags));
  if (model.description.size() > 8192) return invalid_argument("description is over 8192 characters");
  MAAS_ASSIGN_OR_RETURN(auto record, metadata_.create_model(model));
  return ModelView{std::move(record), {}};
}

Result<ModelView> Registry::get_model(const std::string& name) {
  MAAS_RETURN_IF_ERROR(validate_name(name, "model"));
  MAAS_ASSIGN_OR_RETURN(auto record, metadata_.get_model(name));
  MAAS_ASSIGN_OR_RETURN(auto aliases, metadata_.model_aliases(name));
  return ModelView{std::move(record), std::move(aliases)};
}

Result<ModelPage> Registry::list_models(store::ModelQuery query, const std::string& page_token) {
  MAAS_RETURN_IF_ERROR(check_page_limit(query.limit));
  if (!page_token.empty()) {
    MAAS_ASSIGN_OR_RETURN(query.after_name, name_from_page_token(page_token));
  }
  bool more = false;
  MAAS_ASSIGN_OR_RETURN(auto records, fetch_page(query.limit, [&](int n) {
    query.limit = n;
    return metadata_.list_models(query);
  }, &more));
  ModelPage page;
  for (auto& r : records) {
    MAAS_ASSIGN_OR_RETURN(auto aliases, metadata_.model_aliases(r.name));
    page.models.push_back(ModelView{std::move(r), std::move(aliases)});
  }
  if (more) page.next_page_token = page.models.back().model.name;
  return page;
}

Result<ModelView> Registry::update_model(const std::string& name, const store::ModelPatch& patch) {
  MAAS_RETURN_IF_ERROR(validate_name(name, "model"));
  if (patch.tags) MAAS_RETURN_IF_ERROR(validate_tags(*patch.tags));
  MAAS_RETURN_IF_ERROR(metadata_.update_model(name, patch).status());
  return get_model(name);
}

Status Registry::check_not_deployed(const std::string& model, std::optional<int64_t> version) {
  if (!deployed_) return {};
  std::vector<int64_t> versions;
  if (version) {
    versions.push_back(*version);
  } else {
    store::VersionQuery q;
    q.limit = 100000;
    MAAS_ASSIGN_OR_RETURN(auto all, metadata_.list_versions(model, q));
    for (const auto& v : all) versions.push_back(v.version);
  }
  for (int64_t v : versions) {
    if (deployed_(model, v)) {
      return failed_precondition("version " + std::to_string(v) + " of '" + model +
                                 "' is deployed (loaded); unload it first (POST /v2/repository/models/" + model + "/unload)");
    }
  }
  return {};
}

Status Registry::delete_model(const std::string& name) {
  MAAS_RETURN_IF_ERROR(validate_name(name, "model"));
  MAAS_RETURN_IF_ERROR(metadata_.get_model(name).status());
  MAAS_RETURN_IF_ERROR(check_not_deployed(name, std::nullopt));
  MAAS_RETURN_IF_ERROR(metadata_.delete_model(name));
  // Blobs only this model used are unreferenced now.
  return collect_garbage().status();
}

Result<int64_t> Registry::resolve(const std::string& model, const std::string& ref) {
  MAAS_RETURN_IF_ERROR(validate_name(model, "model"));
  long long number = 0;
  if (parse_version_number(ref, &number)) return static_cast<int64_t>(number);
  if (ref == "latest") return metadata_.latest_version(model);
  if (!validate_alias(ref).ok()) {
    return invalid_argument("'" + ref + "' is neither a version number, an alias nor 'latest'");
  }
  return metadata_.get_alias(model, ref);
}

Status Registry::check_can_upload(const std::string& model) {
  MAAS_RETURN_IF_ERROR(validate_name(model, "model"));
  return metadata_.get_model(model).status();
}

Result<VersionView> Registry::finish_upload(const std::string& model, artifacts::Upload& upload,
                                            std::optional<formats::Framework> framework, const std::string& actor) {
  MAAS_RETURN_IF_ERROR(upload.finish().status());
  if (upload.bytes_written() == 0) return invalid_argument("the request body is empty; send the model file as the body");
  auto info = framework ? formats::inspect_artifact(upload.temp_path(), *framework)
                        : formats::inspect_artifact(upload.temp_path());
  if (!info.ok()) return info.status();
  for (const auto& input : info->inputs) {
    MAAS_RETURN_IF_ERROR(check_declared_input(input.name, input.shape, max_tensor_elements_));
  }
  if (upload_check_) MAAS_RETURN_IF_ERROR(upload_check_(model, *info));
  MAAS_ASSIGN_OR_RETURN(artifacts::Pin pin, artifacts_.commit(upload));
  store::NewVersion version;
  version.framework = std::string(formats::framework_name(info->framework));
  version.format = info->format;
  version.digest = pin.digest();
  version.size_bytes = upload.bytes_written();
  version.signature = formats::signature_json(*info);
  version.created_by = actor;
  MAAS_ASSIGN_OR_RETURN(auto record, metadata_.create_version(model, version));
  return view_of(std::move(record));
}

Result<VersionView> Registry::view_of(store::VersionRecord record) {
  VersionView view;
  MAAS_ASSIGN_OR_RETURN(auto aliases, metadata_.model_aliases(record.model));
  for (const auto& [alias, v] : aliases) {
    if (v == record.version) view.aliases.push_back(alias);
  }
  MAAS_ASSIGN_OR_RETURN(view.history, metadata_.version_history(record.model, record.version));
  view.version = std::move(record);
  return view;
}

Result<VersionView> Registry::get_version(const std::string& model, const std::string& ref) {
  MAAS_ASSIGN_OR_RETURN(int64_t v, resolve(model, ref));
  MAAS_ASSIGN_OR_RETURN(auto record, metadata_.get_version(model, v));
  return view_of(std::move(record));
}

Result<VersionPage> Registry::list_versions(const std::string& model, store::VersionQuery query,
                                            const std::string& page_token) {
  MAAS_RETURN_IF_ERROR(validate_name(model, "model"));
  MAAS_RETURN_IF_ERROR(check_page_limit(query.limit));
  if (query.state && *query.state != store::kStateRegistered && *query.state != store::kStateReady &&
      *query.state != store::kStateRetired) {
    return invalid_argument("state must be registered, ready or retired, got '" + *query.state + "'");
  }
  if (!page_token.empty()) {
    MAAS_ASSIGN_OR_RETURN(query.before_version, version_from_page_token(page_token));
  }
  bool more = false;
  MAAS_ASSIGN_OR_RETURN(auto records, fetch_page(query.limit, [&](int n) {
    query.limit = n;
    return metadata_.list_versions(model, query);
  }, &more));
  VersionPage page;
  for (auto& r : records) {
    MAAS_ASSIGN_OR_RETURN(auto view, view_of(std::move(r)));
    page.versions.push_back(std::move(view));
  }
  if (more) page.next_page_token = std::to_string(page.versions.back().version.version);
  return page;
}

Result<VersionView> Registry::update_version(const std::string& model, const std::string& ref,
                                             const store::VersionPatch& patch, bool force) {
  MAAS_ASSIGN_OR_RETURN(int64_t v, resolve(model, ref));
  if (patch.tags) MAAS_RETURN_IF_ERROR(validate_tags(*patch.tags));
  if (patch.state && patch.state->to != store::kStateRegistered && patch.state->to != store::kStateReady &&
      patch.state->to != store::kStateRetired) {
    return invalid_argument("state must be registered, ready or retired, got '" + patch.state->to + "'");
  }
  if (patch.state && guard_) {
    MAAS_ASSIGN_OR_RETURN(auto current, metadata_.get_version(model, v));
    MAAS_RETURN_IF_ERROR(guard_(model, current, patch, force));
  }
  MAAS_ASSIGN_OR_RETURN(auto record, metadata_.update_version(model, v, patch));
  return view_of(std::move(record));
}

Result<VersionView> Registry::add_evaluation(const std::string& model, const std::string& ref,
                                             const store::Evaluation& evaluation) {
  MAAS_ASSIGN_OR_RETURN(int64_t v, resolve(model, ref));
  MAAS_ASSIGN_OR_RETURN(auto record, metadata_.add_evaluation(model, v, evaluation));
  return view_of(std::move(record));
}

Status Registry::delete_version(const std::string& model, const std::string& ref) {
  MAAS_ASSIGN_OR_RETURN(int64_t v, resolve(model, ref));
  MAAS_RETURN_IF_ERROR(metadata_.get_version(model, v).status());
  MAAS_RETURN_IF_ERROR(check_not_deployed(model, v));
  MAAS_RETURN_IF_ERROR(metadata_.delete_version(model, v));
  return collect_garbage().status();
}

Result<std::filesystem::path> Registry::artifact_path(const std::string& model, const std::string& ref,
                                                      std::string* digest) {
  MAAS_ASSIGN_OR_RETURN(int64_t v, resolve(model, ref));
  MAAS_ASSIGN_OR_RETURN(auto record, metadata_.get_version(model, v));
  *digest = record.digest;
  return artifacts_.open_verified(record.digest);
}

Result<int64_t> Registry::set_alias(const std::string& model, const std::string& alias, int64_t version) {
  MAAS_RETURN_IF_ERROR(validate_name(model, "model"));
  MAAS_RETURN_IF_ERROR(validate_alias(alias));
  MAAS_RETURN_IF_ERROR(metadata_.set_alias(model, alias, version));
  return version;
}

Result<int64_t> Registry::get_alias(const std::string& model, const std::string& alias) {
  MAAS_RETURN_IF_ERROR(validate_name(model, "model"));
  MAAS_RETURN_IF_ERROR(validate_alias(alias));
  return metadata_.get_alias(model, alias);
}

Status Registry::delete_alias(const std::string& model, const std::string& alias) {
  MAAS_RETURN_IF_ERROR(validate_name(model, "model"));
  MAAS_RETURN_IF_ERROR(validate_alias(alias));
  return metadata_.delete_alias(model, alias);
}

Result<artifacts::GcReport> Registry::collect_garbage() {
  return artifacts_.collect_garbage([this] { return metadata_.referenced_digests(); });
}

}  // namespace maas::registry
