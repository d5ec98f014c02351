// A streamed request body written into an artifact upload (a model file, a dataset's input file): chunk by chunk,
// within the store's size limit and the request's deadline (server.upload_timeout_ms). Runs on the request's loop.
#pragma once

#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it

#include <boost/asio/awaitable.hpp>

#include "artifacts/artifact_store.h"
#include "common/status.h"
#include "http/request.h"

namespace maas::api {

// Reads req.body_stream to its end into `upload`. PAYLOAD_TOO_LARGE past the store's limit, DEADLINE_EXCEEDED past
// the request's deadline, the stream's error when the client stalls or goes away.
boost::asio::awaitable<Status> receive_upload(http::Request& req, artifacts::Upload& upload);

}  // namespace maas::api
