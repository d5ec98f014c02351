// Holds a signed request's body to the SHA-256 its signature covers (Principal::body_sha256): the signature is
// checked from the headers, before the body is read, so the body is checked against it once it has arrived.
//
// Thread-safety: a DigestCheckingBodyStream belongs to one request, like the stream it wraps.
#pragma once

#include <string>
#include <string_view>

#include "common/sha256.h"
#include "common/status.h"
#include "http/request.h"

namespace maas::http {

// UNAUTHENTICATED "body_hash_mismatch: ..." unless `body` hashes to `expected_hex`.
Status check_body_sha256(std::string_view body, std::string_view expected_hex);

// A streamed body that hashes the chunks it passes on; at the end, where the body does not hash to the signed
// digest, next_chunk() answers the UNAUTHENTICATED error instead of the end (the handler gives up the upload).
class DigestCheckingBodyStream final : public BodyStream {
 public:
  DigestCheckingBodyStream(BodyStream& inner, std::string expected_hex)
      : inner_(inner), expected_hex_(std::move(expected_hex)) {}
  std::optional<uint64_t> content_length() const override { return inner_.content_length(); }
  boost::asio::awaitable<Result<std::string_view>> next_chunk() override;

 private:
  BodyStream& inner_;
  const std::string expected_hex_;
  Sha256 hasher_;
  std::optional<Status> verdict_;  // set at the end of the body (the hasher is finished then)
};

}  // namespace maas::http
