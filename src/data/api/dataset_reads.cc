// Reading a version: a page of its rows (or of its rejected rows) as JSON, and downloads — Parquet (the snapshot
// file itself), CSV or JSON Lines streamed chunk by chunk (2048 rows): each chunk is read on the pool and written to
// the client from the event loop, so no thread waits on a slow client and memory stays bounded.
#include <charconv>

#include <spdlog/spdlog.h>

#include "api/json_io.h"
#include "data/api/routes.h"

namespace maas::data::api {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

Status check_parameters(const Request& req, std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : req.query) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      return invalid_argument("unknown query parameter '" + name + "'; this endpoint takes " + list);
    }
  }
  return {};
}

Result<int64_t> integer_param(const Request& req, const char* name, int64_t default_value) {
  auto text = req.query_param(name);
  if (!text) return default_value;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size()) {
    return invalid_argument(std::string(name) + " must be a whole number, got '" + *text + "'");
  }
  return value;
}

// ?columns=a,b,c
std::vector<std::string> columns_param(const Request& req) {
  std::vector<std::string> columns;
  auto text = req.query_param("columns");
  if (!text || text->empty()) return columns;
  size_t start = 0;
  while (start <= text->size()) {
    size_t comma = std::min(text->find(',', start), text->size());
    columns.push_back(text->substr(start, comma - start));
    start = comma + 1;
  }
  return columns;
}

Result<PreviewOptions> preview_options(const Request& req, const DataApi& api) {
  MAAS_RETURN_IF_ERROR(check_parameters(req, {"offset", "limit", "columns"}));
  PreviewOptions options;
  MAAS_ASSIGN_OR_RETURN(options.offset, integer_param(req, "offset", 0));
  MAAS_ASSIGN_OR_RETURN(options.limit, integer_param(req, "limit", 100));
  options.columns = columns_param(req);
  options.max_limit = api.limits().max_preview_rows;
  return options;
}

Awaitable preview_page(DataApi& api, Request& req, VersionFile file) {
  API_ASSIGN_OR_RESPOND(PreviewOptions options, preview_options(req, api));
  std::string name = req.param("name");
  std::string ref = req.param("ref");
  auto work = [&api, name, ref, options, file] { return api.registry().preview_version(name, ref, options, file); };
  auto page = co_await api.pool().run(std::move(work));
  if (!page.ok()) co_return error_response(page.status());
  co_return Response::json(200, preview_to_json(*page, options.offset));
}

std::string attachment(const std::string& dataset, int64_t version, VersionFile file, std::string_view extension) {
  return "attachment; filename=\"" + dataset + "-v" + std::to_string(version) +
         (file == VersionFile::kRejects ? "-rejects" : "") + "." + std::string(extension) + "\"";
}

// Writes an opened export: each piece is read on the pool, then written from the connection's loop. Holds the
// export and its download slot until the last byte.
boost::asio::awaitable<void> write_export(DataApi& api, std::shared_ptr<VersionExport> exporting,
                                          [[maybe_unused]] std::shared_ptr<WorkSlots::Slot> slot,
                                          http::ChunkWriter& out) {
  for (;;) {
    auto read = [exporting] { return exporting->next(); };
    Result<std::string> piece = co_await api.pool().run(std::move(read));
    if (!piece.ok()) {
      // The status line is sent: the response ends short, and X-Row-Count tells the client so.
      spdlog::error("the download of version {} of dataset '{}' stopped after {} rows: {}",
                    exporting->version().version, exporting->version().dataset, exporting->rows(),
                    piece.status().to_string());
      co_return;
    }
    if (piece->empty()) co_return;
    if (!co_await out.write(*piece)) co_return;  // the client went away
  }
}

Awaitable download(DataApi& api, Request& req, VersionFile file) {
  API_RESPOND_IF_ERROR(check_parameters(req, {"format", "columns"}));
  std::string format = req.query_param("format").value_or("parquet");
  std::string name = req.param("name");
  std::string ref = req.param("ref");
  if (format == "parquet") {
    if (req.query_param("columns")) {
      co_return Response::error(invalid_argument("columns apply to csv and jsonl downloads; a Parquet download is the "
                                                 "stored file itself, every column"));
    }
    auto resolve = [&api, name, ref, file] { return api.registry().verified_file(name, ref, file); };
    auto verified = co_await api.pool().run(std::move(resolve));
    if (!verified.ok()) co_return error_response(verified.status());
    Response res;
    res.content_type = "application/vnd.apache.parquet";
    res.file = verified->path;
    res.headers.emplace_back("ETag", "\"sha256:" + verified->digest + "\"");
    res.headers.emplace_back("Content-Disposition", attachment(name, verified->version, file, "parquet"));
    co_return res;
  }
  ExportOptions options;
  API_ASSIGN_OR_RESPOND(options.format, parse_export_format(format));
  options.columns = columns_param(req);
  auto slot = api.downloads().try_acquire();
  if (!slot.ok()) co_return error_response(slot.status());
  auto open = [&api, name, ref, options, file] { return api.registry().open_export(name, ref, options, file); };
  auto opened = co_await api.pool().run(std::move(open));
  if (!opened.ok()) co_return error_response(opened.status());
  std::shared_ptr<VersionExport> exporting = std::move(*opened);
  const auto& version = exporting->version();
  Response res;
  res.content_type = options.format == ExportFormat::kCsv ? "text/csv; charset=utf-8" : "application/x-ndjson";
  res.headers.emplace_back("Content-Disposition", attachment(name, version.version, file, format));
  // The rows the whole download holds: a client can tell a download cut short by an error from a complete one.
  if (file == VersionFile::kSnapshot) res.headers.emplace_back("X-Row-Count", std::to_string(version.row_count));
  auto held = std::make_shared<WorkSlots::Slot>(std::move(*slot));
  res.stream = [&api, exporting, held](http::ChunkWriter& out) -> boost::asio::awaitable<void> {
    return write_export(api, exporting, held, out);
  };
  co_return res;
}

}  // namespace

void add_read_routes(http::Router& router, DataApi& api) {
  router.add("GET", "/api/v1/datasets/{name}/versions/{ref}/preview",
             [&api](Request& req) -> Awaitable { return preview_page(api, req, VersionFile::kSnapshot); });
  router.add("GET", "/api/v1/datasets/{name}/versions/{ref}/rejects",
             [&api](Request& req) -> Awaitable { return preview_page(api, req, VersionFile::kRejects); });
  router.add("GET", "/api/v1/datasets/{name}/versions/{ref}/download",
             [&api](Request& req) -> Awaitable { return download(api, req, VersionFile::kSnapshot); });
  router.add("GET", "/api/v1/datasets/{name}/versions/{ref}/rejects/download",
             [&api](Request& req) -> Awaitable { return download(api, req, VersionFile::kRejects); });
}

}  // namespace maas::data::api
