#include <chrono>

#include "data/api/routes.h"

namespace maas::data::api {

boost::asio::awaitable<Result<std::string>> read_body(http::Request& req, uint64_t limit, Status too_large) {
  if (auto length = req.body_stream->content_length(); length && *length > limit) co_return too_large;
  std::string body;
  for (;;) {
    auto chunk = co_await req.body_stream->next_chunk();
    if (!chunk.ok()) co_return chunk.status();
    if (chunk->empty()) break;
    if (body.size() + chunk->size() > limit) co_return too_large;
    body.append(chunk->data(), chunk->size());
    if (std::chrono::steady_clock::now() > req.deadline) {
      co_return deadline_exceeded("the body took longer than server.upload_timeout_ms");
    }
  }
  co_return body;
}

}  // namespace maas::data::api
