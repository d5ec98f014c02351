// Feature views' durable records: the `feature_views` table of <data_dir>/metadata.db (migration 9), a name and
// its definition as the client gave it. The online store's per-entity state is not kept here (memory only).
//
// Thread-safety: every method may be called from any thread (one connection under a mutex).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/sqlite/database.h"

namespace maas::features::online {

struct FeatureViewRecord {  // NOLINT(bugprone-exception-escape): nlohmann::json member, moved, never thrown
  std::string name;
  nlohmann::json definition;
  std::string description;
  std::string created_by;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

class FeatureViewStore {
 public:
  static Result<std::unique_ptr<FeatureViewStore>> open(const std::filesystem::path& path);

  // ALREADY_EXISTS when the name is taken.
  Result<FeatureViewRecord> create(const std::string& name, const nlohmann::json& definition,
                                   const std::string& description, const std::string& created_by);
  // Replaces an existing view's definition (and description). NOT_FOUND when there is none.
  Result<FeatureViewRecord> replace(const std::string& name, const nlohmann::json& definition,
                                    const std::string& description);
  Result<FeatureViewRecord> get(const std::string& name);
  // Every view, by name.
  Result<std::vector<FeatureViewRecord>> list();
  // FAILED_PRECONDITION while a model version has the view attached (naming it).
  Status remove(const std::string& name);

  // A model version's attached view: its inference requests feed the view and get its features (NOT_FOUND when
  // the view does not exist). One view per version; attaching again replaces it.
  Status attach(const std::string& model, int64_t version, const std::string& view);
  Status detach(const std::string& model, int64_t version);
  // Every attachment: ((model, version), view).
  Result<std::vector<std::pair<std::pair<std::string, int64_t>, std::string>>> attachments();

 private:
  explicit FeatureViewStore(std::unique_ptr<store::sqlite::Database> db) : db_(std::move(db)) {}
  Result<FeatureViewRecord> get_locked(const std::string& name);

  std::mutex mu_;
  std::unique_ptr<store::sqlite::Database> db_;
};

}  // namespace maas::features::online
