// POST /api/v1/datasets/{name}/versions: the body (the file itself) streams to a temp file in the artifact store,
// as a model upload does (same size limit, same deadline), then the import runs on the pool: DuckDB reads the file
// into a Parquet snapshot, profiles it and the registry records the version in one transaction. A crash at any point
// leaves temp files (removed at the next start) or unreferenced blobs (garbage-collected), never a partial version.
#include "api/json_io.h"
#include "api/upload_body.h"
#include "data/api/import_query.h"
#include "data/api/routes.h"
#include "data/datasets/dataset_json.h"

namespace maas::data::api {
namespace {

using http::Request;
using http::Response;

Awaitable upload_version(DataApi& api, Request& req) {
  const std::string name = req.param("name");
  auto content_type = req.header("content-type");
  if (content_type && content_type->rfind("multipart/", 0) == 0) {
    co_return Response::error(Status(StatusCode::kUnsupportedMediaType,
                                     "send the file as the raw request body (e.g. text/csv or "
                                     "application/octet-stream), not as multipart form data"));
  }
  // Everything that can be refused is refused before the body is read.
  API_ASSIGN_OR_RESPOND(ImportRequest request, import_request_from_query(req.query, content_type));
  request.created_by = req.actor;
  API_RESPOND_IF_ERROR(api.registry().get_dataset(name).status());
  auto slot = api.imports().try_acquire();
  if (!slot.ok()) co_return error_response(slot.status());
  API_ASSIGN_OR_RESPOND(auto upload, api.artifacts().begin_upload());
  Status received = co_await maas::api::receive_upload(req, *upload);
  if (!received.ok()) co_return Response::error(received);
  artifacts::Upload* up = upload.get();
  // A named local, not a temporary: GCC 12 destroys lambda temporaries inside co_await expressions wrongly.
  auto import = [&api, &name, &request, up]() -> Result<DatasetVersionView> {
    MAAS_ASSIGN_OR_RETURN(std::string digest, up->finish());
    request.input = {{"bytes", up->bytes_written()}, {"sha256", digest}};
    return api.registry().import_version(name, up->temp_path(), request);
  };
  auto view = co_await api.pool().run(std::move(import));
  if (!view.ok()) co_return error_response(view.status());
  Response res = Response::json(201, dataset_version_json(*view));
  res.headers.emplace_back("Location",
                           "/api/v1/datasets/" + name + "/versions/" + std::to_string(view->version.version));
  co_return res;
}

}  // namespace

void add_upload_route(http::Router& router, DataApi& api) {
  router.add(
      "POST", "/api/v1/datasets/{name}/versions",
      [&api](Request& req) -> Awaitable { return upload_version(api, req); }, http::BodyMode::kStreamed);
}

}  // namespace maas::data::api
