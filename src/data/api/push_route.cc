// POST /api/v1/sources/{name}/rows: a push source's rows, a JSON array of objects or JSON Lines, appended whole or
// not at all to <data_dir>/sources/push/<name>.jsonl and fsynced before the answer. The body is bounded by
// sources.push_max_body_bytes; the append runs on the pool, one at a time.
#include <fcntl.h>
#include <unistd.h>

#include "api/json_io.h"
#include "common/files.h"
#include "common/json_parse.h"
#include "data/api/routes.h"
#include "data/sources/source_reader.h"

namespace maas::data::api {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

Status body_too_large(uint64_t limit) {
  return payload_too_large("the body is over sources.push_max_body_bytes (" + std::to_string(limit) +
                           " bytes); push the rows in smaller batches");
}

// The rows as JSON Lines text (one object per line), or INVALID_ARGUMENT naming the first row that is not an object.
Result<std::string> rows_text(const std::string& body, bool json_lines) {
  std::string out;
  auto add = [&out](const json& row, size_t index) -> Status {
    if (!row.is_object()) return invalid_argument("row " + std::to_string(index) + " is not a JSON object");
    out += row.dump(-1, ' ', false, json::error_handler_t::replace);
    out += '\n';
    return {};
  };
  if (!json_lines) {
    json rows = parse_json_or(body, json());
    if (!rows.is_array()) return invalid_argument("the body must be a JSON array of row objects (or JSON Lines)");
    for (size_t i = 0; i < rows.size(); ++i) MAAS_RETURN_IF_ERROR(add(rows[i], i + 1));
    return out;
  }
  size_t index = 0;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::string_view line(body.data() + start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    ++index;
    MAAS_ASSIGN_OR_RETURN(json row, parse_json(line, "line " + std::to_string(index)));
    MAAS_RETURN_IF_ERROR(add(row, index));
  }
  return out;
}

// Appends `text` and fsyncs. A crash mid-append may leave a last line without its '\n': it is cut off first, so
// the rows that follow never run into it (readers never read a line without its '\n').
Status append_rows(const std::filesystem::path& path, const std::string& text) {
  MAAS_RETURN_IF_ERROR(ensure_directory(path.parent_path()));
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return internal_error("cannot open the push source's rows file");
  off_t size = ::lseek(fd, 0, SEEK_END);
  off_t keep = size;
  char byte = '\n';
  while (keep > 0 && ::pread(fd, &byte, 1, keep - 1) == 1 && byte != '\n') --keep;
  bool ok = size >= 0 && (keep == size || ::ftruncate(fd, keep) == 0);
  ok = ok && ::pwrite(fd, text.data(), text.size(), keep) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return internal_error("cannot append to the push source's rows file (disk full?)");
  return {};
}

Awaitable push_rows(DataApi& api, Request& req) {
  API_ASSIGN_OR_RESPOND(sources::Source source, api.sources().get(req.param("name")));
  if (source.kind != "push") {
    co_return Response::error(failed_precondition("source '" + source.name + "' is a " + source.kind +
                                                  " source; rows are pushed to push sources only"));
  }
  const bool json_lines = req.header("content-type").value_or("").find("ndjson") != std::string::npos;
  Result<std::string> body =
      co_await read_body(req, api.limits().push_max_body_bytes, body_too_large(api.limits().push_max_body_bytes));
  if (!body.ok()) co_return Response::error(body.status());
  API_ASSIGN_OR_RESPOND(std::string text, rows_text(*body, json_lines));
  const auto rows = static_cast<int64_t>(std::count(text.begin(), text.end(), '\n'));
  const auto path = sources::push_rows_path(api.source_settings().data_dir, source.name);
  auto work = [&api, &path, &text] {
    std::lock_guard lock(api.push_mutex());
    return append_rows(path, text);
  };
  Status appended = co_await api.pool().run(std::move(work));
  if (!appended.ok()) co_return error_response(appended);
  co_return Response::json(200, {{"source", source.name}, {"appended", rows}});
}

}  // namespace

void add_push_route(http::Router& router, DataApi& api) {
  router.add(
      "POST", "/api/v1/sources/{name}/rows", [&api](Request& req) -> Awaitable { return push_rows(api, req); },
      http::BodyMode::kStreamed, http::Access::kDeploy);
}

}  // namespace maas::data::api
