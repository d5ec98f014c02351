#include "runtime/backend_registry.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/json_parse.h"

namespace maas::runtime {
namespace {

Result<BackendInfo> read_manifest(const std::filesystem::path& file, const std::filesystem::path& worker) {
  auto fail = [&file](const std::string& why) {
    return failed_precondition("the backend manifest " + file.string() + " " + why);
  };
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return fail("cannot be read");
  auto parsed = parse_json(text.str(), "it");
  if (!parsed.ok()) return fail("is not valid: " + parsed.status().message());
  const nlohmann::json& j = *parsed;
  BackendInfo info;
  info.worker = worker;
  for (const char* key : {"framework", "kind", "platform", "library"}) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string() || j[key].get<std::string>().empty()) {
      return fail(std::string("has no \"") + key + "\" string");
    }
  }
  info.framework = j["framework"].get<std::string>();
  info.platform = j["platform"].get<std::string>();
  std::string kind = j["kind"].get<std::string>();
  if (kind == serving_kind_name(ServingKind::kTensor)) {
    info.kind = ServingKind::kTensor;
  } else if (kind == serving_kind_name(ServingKind::kGenerative)) {
    info.kind = ServingKind::kGenerative;
  } else {
    return fail("has kind \"" + kind + "\": it must be \"tensor\" or \"generative\"");
  }
  info.library = file.parent_path() / j["library"].get<std::string>();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(info.library, ec)) return fail("names " + info.library.string() + ", which is missing");
  return info;
}

}  // namespace

std::string_view serving_kind_name(ServingKind kind) {
  switch (kind) {
    case ServingKind::kTensor: return "tensor";
    case ServingKind::kGenerative: return "generative";
    case ServingKind::kGraph:
      return "graph";
  }
  return "unknown";
}

Result<BackendRegistry> BackendRegistry::discover(const std::filesystem::path& dir, const std::filesystem::path& worker) {
  BackendRegistry registry;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return registry;
  std::vector<std::filesystem::path> manifests;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") manifests.push_back(entry.path());
  }
  if (ec) return failed_precondition("cannot list the backend plugins in " + dir.string() + ": " + ec.message());
  std::sort(manifests.begin(), manifests.end());
  for (const auto& file : manifests) {
    MAAS_ASSIGN_OR_RETURN(BackendInfo info, read_manifest(file, worker));
    if (registry.find(info.framework) != nullptr) {
      return failed_precondition("two backend manifests in " + dir.string() + " serve framework '" + info.framework + "'");
    }
    registry.add(std::move(info));
  }
  return registry;
}

void BackendRegistry::add(BackendInfo info) {
  std::string framework = info.framework;
  backends_[framework] = std::move(info);
}

const BackendInfo* BackendRegistry::find(std::string_view framework) const {
  auto it = backends_.find(framework);
  return it == backends_.end() ? nullptr : &it->second;
}

Result<const BackendInfo*> BackendRegistry::require(std::string_view framework) const {
  if (const BackendInfo* info = find(framework)) return info;
  std::string known;
  for (const auto& [name, info] : backends_) known += (known.empty() ? "" : ", ") + name;
  return failed_precondition("no backend serves framework '" + std::string(framework) + "' in this maasd (it serves " +
                             (known.empty() ? std::string("none") : known) + ")");
}

std::vector<BackendInfo> BackendRegistry::list() const {
  std::vector<BackendInfo> out;
  for (const auto& [name, info] : backends_) out.push_back(info);
  return out;
}

}  // namespace maas::runtime
