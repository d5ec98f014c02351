#include "http/body_digest.h"

#include <cctype>

namespace maas::http {
namespace {

Status compare(std::string actual_hex, std::string_view expected_hex) {
  if (constant_time_equal(actual_hex, expected_hex)) return {};
  return unauthenticated("body_hash_mismatch: the body received hashes to " + actual_hex +
                         ", not to the x-maas-content-sha256 the request's signature covers (" +
                         std::string(expected_hex) + ")");
}

}  // namespace

Status check_body_sha256(std::string_view body, std::string_view expected_hex) {
  return compare(sha256_hex(body), expected_hex);
}

boost::asio::awaitable<Result<std::string_view>> DigestCheckingBodyStream::next_chunk() {
  Result<std::string_view> chunk = co_await inner_.next_chunk();
  if (!chunk.ok()) co_return chunk;
  if (!chunk->empty()) {
    hasher_.update(*chunk);
    co_return chunk;
  }
  if (!verdict_) verdict_ = compare(hasher_.hex_digest(), expected_hex_);
  if (!verdict_->ok()) co_return *verdict_;
  co_return chunk;
}

}  // namespace maas::http
