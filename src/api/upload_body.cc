#include "api/upload_body.h"

#include <chrono>

namespace maas::api {

boost::asio::awaitable<Status> receive_upload(http::Request& req, artifacts::Upload& upload) {
  for (;;) {
    auto chunk = co_await req.body_stream->next_chunk();
    if (!chunk.ok()) co_return chunk.status();
    if (chunk->empty()) co_return Status();
    if (Status written = upload.write(chunk->data(), chunk->size()); !written.ok()) co_return written;
    if (std::chrono::steady_clock::now() > req.deadline) {
      co_return deadline_exceeded("the upload ran past server.upload_timeout_ms");
    }
  }
}

}  // namespace maas::api
