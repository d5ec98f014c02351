#include "jobs/kind_registry.h"

#include "jobs/plugin_loader.h"

namespace maas::jobs {
namespace {

// What maasd keeps of a plugin: its kinds (executors run in maas-job only).
class KindCollector final : public PluginRegistrar {
 public:
  KindCollector(KindRegistry& kinds, std::filesystem::path path) : kinds_(kinds), path_(std::move(path)) {}
  void add_kind(JobKind kind) override {
    if (kind.executor_plugin.empty()) kind.executor_plugin = path_;
    if (Status s = kinds_.add(std::move(kind)); !s.ok() && status_.ok()) {
      status_ = Status(s.code(), "the job plugin " + path_.string() + ": " + s.message());
    }
  }
  void add_executor(std::string, Executor) override {}
  const Status& status() const { return status_; }

 private:
  KindRegistry& kinds_;
  std::filesystem::path path_;
  Status status_;
};

}  // namespace

Status check_kind_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64 && name[0] >= 'a' && name[0] <= 'z';
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');
  }
  if (ok) return {};
  return invalid_argument("job kind name '" + std::string(name) +
                          "' must be 1-64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter");
}

Status KindRegistry::add(JobKind kind) {
  MAAS_RETURN_IF_ERROR(check_kind_name(kind.name));
  if (kinds_.count(kind.name) != 0) return already_exists("job kind '" + kind.name + "' is registered twice");
  std::string name = kind.name;
  kinds_.emplace(std::move(name), std::move(kind));
  return {};
}

Status KindRegistry::load_plugin(const std::filesystem::path& path) {
  KindCollector collector(*this, path);
  MAAS_RETURN_IF_ERROR(jobs::load_plugin(path, collector));
  return collector.status();
}

const JobKind* KindRegistry::find(std::string_view name) const {
  auto it = kinds_.find(name);
  return it == kinds_.end() ? nullptr : &it->second;
}

std::vector<const JobKind*> KindRegistry::list() const {
  std::vector<const JobKind*> out;
  for (const auto& [name, kind] : kinds_) out.push_back(&kind);
  return out;
}

}  // namespace maas::jobs
