// The source -> rows interface: a reader copies a source's rows (all of them, or those past a watermark) into one
// file in a directory it is given, which an import then turns into a dataset version and which a rule may read as
// well. Readers run in a snapshot job (maas-job), never on maasd's event loops; the connection checks also run in
// maasd on the data pool. Each call is independent; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/status.h"
#include "data/sources/source.h"

namespace maas::data::sources {

struct ReadRequest {  // NOLINT(bugprone-exception-escape): nlohmann::json members, moved, never thrown
  const Source* source = nullptr;
  std::string password;  // opened from source->sealed_secret
  FileRoots roots;
  // The last watermark kept (a column's value, or {"offset", "size"} for push and tail); null: a full snapshot.
  nlohmann::json since;
  std::filesystem::path out_dir;   // where the rows file goes
  std::filesystem::path data_dir;  // maasd's (push sources keep their rows under it)
  std::function<bool()> cancelled = [] { return false; };
  std::function<void(int64_t rows)> progress = [](int64_t) {};
  uint64_t memory_limit_bytes = uint64_t{1} << 30;  // DuckDB's, for file sources
  int threads = 1;
  // A logs source: the rows maasd queried for this job (a JSON Lines file) and the watermark they end at.
  std::filesystem::path logs_file;
  nlohmann::json logs_watermark;
};

struct ReadOutcome {  // NOLINT(bugprone-exception-escape): as ReadRequest
  int64_t rows = 0;
  std::filesystem::path file;  // empty when no row was read
  std::string format;          // "parquet" or "jsonl"
  nlohmann::json watermark;    // to keep with the version (null: none)
  // Lines the reader could not read (a files source's malformed CSV lines), kept as the version's rejects.
  int64_t rejected_rows = 0;
  std::filesystem::path rejects_file;  // import.h's rejects_schema(); empty when none was rejected
};

// Dispatches on the source's kind. INVALID_ARGUMENT for what the source's config or data gets wrong (bad SQL, a
// file outside the roots, a wrong password), UNAVAILABLE for what may pass (a database that is down).
Result<ReadOutcome> read_source(const ReadRequest& request);

Result<ReadOutcome> read_sqlite(const ReadRequest& request);
Result<ReadOutcome> read_postgres(const ReadRequest& request);
Result<ReadOutcome> read_files(const ReadRequest& request);
Result<ReadOutcome> read_appended(const ReadRequest& request);  // push and tail
Result<ReadOutcome> read_logs_file(const ReadRequest& request);

// Connects and prepares the source's query without reading rows (sqlite, postgres), or checks that its files exist
// (files, tail): the clear 400 at creation. Other kinds: OK.
Status check_source(const Source& source, const std::string& password, const FileRoots& roots);
Status check_sqlite(const Source& source, const FileRoots& roots);
Status check_postgres(const Source& source, const std::string& password);

// The SELECT a database source runs: its table or query, past the watermark (placeholder `param`), in watermark
// order. `quote` quotes an identifier.
std::string source_select(const Source& source, bool incremental, const std::string& param);

// Where a push source's rows are appended: <data_dir>/sources/push/<name>.jsonl.
std::filesystem::path push_rows_path(const std::filesystem::path& data_dir, const std::string& name);

}  // namespace maas::data::sources
