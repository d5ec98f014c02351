// The push and tail kinds: a file that only grows (a push source's rows, appended by maasd; a tailed file under
// sources.file_roots), read from the byte offset the last snapshot kept up to its last whole line. A file that
// shrank or was replaced (another inode: rotation) is read from its start.
#include <sys/stat.h>

#include <fstream>

#include "data/sources/rows_file.h"
#include "data/sources/source_reader.h"

namespace maas::data::sources {
namespace {

using nlohmann::json;

bool blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

}  // namespace

Result<ReadOutcome> read_appended(const ReadRequest& request) {
  const Source& source = *request.source;
  std::filesystem::path path;
  if (source.kind == "push") {
    path = push_rows_path(request.data_dir, source.name);
  } else {
    MAAS_ASSIGN_OR_RETURN(path, resolve_file(source.config["path"].get<std::string>(), request.roots));
  }
  const bool lines = source.kind == "tail" && source.config.value("format", "lines") == "lines";
  ReadOutcome outcome;
  outcome.format = "jsonl";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (source.kind == "push") return outcome;  // nothing pushed yet
    return invalid_argument("'" + source.config["path"].get<std::string>() + "' cannot be read");
  }
  const auto inode = static_cast<int64_t>(st.st_ino);
  int64_t offset = 0;
  if (request.since.is_object() && request.since.contains("offset") && request.since["offset"].is_number_integer()) {
    offset = request.since["offset"].get<int64_t>();
    bool same_file = request.since.contains("inode") && request.since["inode"] == json(inode);
    if (!same_file || offset > static_cast<int64_t>(st.st_size)) offset = 0;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid_argument("'" + path.filename().string() + "' cannot be read");
  in.seekg(offset);
  MAAS_ASSIGN_OR_RETURN(RowsFile out, RowsFile::create(request.out_dir / "rows.jsonl"));
  std::ofstream raw;
  if (!lines) raw.open(request.out_dir / "rows.raw.jsonl", std::ios::binary);
  int64_t end = offset;
  std::string line;
  int64_t count = 0;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // a last line without its '\n' is still being written
    end += static_cast<int64_t>(line.size()) + 1;
    if (blank(line)) continue;
    if (lines) {
      MAAS_RETURN_IF_ERROR(out.write(json{{"line", line}}));
    } else {
      raw << line << '\n';
    }
    if (++count % 10'000 == 0) {
      if (request.cancelled()) return unavailable("the snapshot was cancelled");
      request.progress(count);
    }
  }
  MAAS_RETURN_IF_ERROR(out.close());
  if (!lines) {
    raw.close();
    if (!raw) return internal_error("cannot write the rows file (disk full?)");
  }
  outcome.rows = count;
  if (count > 0) outcome.file = lines ? out.path() : request.out_dir / "rows.raw.jsonl";
  outcome.watermark = json{{"offset", end}, {"inode", inode}};
  return outcome;
}

Result<ReadOutcome> read_logs_file(const ReadRequest& request) {
  ReadOutcome outcome;
  outcome.format = "jsonl";
  const std::filesystem::path copy = request.out_dir / "rows.jsonl";
  std::error_code ec;
  std::filesystem::copy_file(request.logs_file, copy, ec);
  if (ec) return invalid_argument("the logs source's rows for this job are gone: snapshot it again");
  std::ifstream in(copy, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (!blank(line)) ++outcome.rows;
  }
  if (outcome.rows > 0) outcome.file = copy;
  outcome.watermark = request.logs_watermark;
  return outcome;
}

Status check_source(const Source& source, const std::string& password, const FileRoots& roots) {
  if (source.kind == "sqlite") return check_sqlite(source, roots);
  if (source.kind == "postgres") return check_postgres(source, password);
  if (source.kind == "files") return expand_files(source.config["path"].get<std::string>(), roots).status();
  if (source.kind == "tail") return resolve_file(source.config["path"].get<std::string>(), roots).status();
  return {};
}

}  // namespace maas::data::sources
