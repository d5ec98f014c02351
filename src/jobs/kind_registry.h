// The job kinds maasd accepts, by name: the built-in kinds their components register and those of the plugins
// named in jobs.plugins.
//
// Thread-safety: add() and load_plugin() at start, from one thread; reads from any thread afterwards.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/job_kind.h"

namespace maas::jobs {

class KindRegistry {
 public:
  // INVALID_ARGUMENT for a bad name, ALREADY_EXISTS when the name is taken.
  Status add(JobKind kind);
  // Registers a plugin's kinds; a kind without an executor plugin gets this plugin's path.
  Status load_plugin(const std::filesystem::path& path);

  const JobKind* find(std::string_view name) const;
  std::vector<const JobKind*> list() const;  // by name

 private:
  std::map<std::string, JobKind, std::less<>> kinds_;
};

}  // namespace maas::jobs
