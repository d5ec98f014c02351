// The request and response types that handlers see: parsed once at the edge (path split, query decoded), with
// no Beast types leaking into handler code.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::http {

// Pulls a streamed request body chunk by chunk. Owned by the connection; valid only during the handler call.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Content-Length when the client sent one (chunked bodies have none).
  virtual std::optional<uint64_t> content_length() const = 0;
  // The next chunk; an empty view at the end of the body. An error when the client stalls or disconnects.
  virtual boost::asio::awaitable<Result<std::string_view>> next_chunk() = 0;
};

// Writes the body of a streamed response (chunked transfer encoding). Owned by the connection; valid only while
// the response's producer runs.
class ChunkWriter {
 public:
  virtual ~ChunkWriter() = default;
  // Sends `bytes` as one chunk (an empty view sends nothing). False once the client has gone or stopped reading:
  // the producer should stop and release what it holds (a generation slot, a subscription).
  virtual boost::asio::awaitable<bool> write(std::string_view bytes) = 0;
};

// Produces a streamed body. Runs on the connection's strand after the status line and headers are sent.
using BodyProducer = std::function<boost::asio::awaitable<void>(ChunkWriter&)>;

// What a handler knows about a request that the log center records beside method, path and status. Handlers fill
// in what they resolve (the model and version served, why a request was refused); never a secret.
struct RequestLogFields {
  std::string service;
  std::string model;
  std::string version;
  std::string key_id;            // the id of the API key, never the key itself
  std::string rejection_reason;  // a short stable word: "queue_full", "rate_limited", "unauthenticated", ...
  std::string graph_steps;       // an inference graph's steps that ran: "model:version,..."
};

// Who is calling: the key that authenticated the request (see src/auth/). Shared and immutable: the key's
// record may be revoked meanwhile, which takes effect on the next request.
struct Principal {
  std::string key_id;
  std::string name;
  std::string role;                   // admin | deployer | invoker | viewer
  std::vector<std::string> services;  // what an invoker may call; empty: everything
  int priority = 0;                   // higher is shed later under overload
  double rate_limit_rps = 0;          // 0: no per-key limit
  double rate_limit_burst = 0;
  double rate_limit_tpm = 0;          // LLM tokens (prompt + completion) a minute; 0: none
  int64_t daily_requests = 0;  // quotas; 0: none
  int64_t monthly_requests = 0;
  int64_t monthly_tokens = 0;
  // A signed request's: the hex SHA-256 its signature covers; the server refuses (401) a body received that does
  // not hash to it. Empty: no check.
  std::string body_sha256 = {};

  bool may_invoke(std::string_view service) const;
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as sent, e.g. "/api/v1/models?prefix=a" (from an absolute-form target too)
  std::string path;    // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;
  std::map<std::string, std::string> path_params;  // from {name} segments of the matched route
  std::string route;  // the matched route's pattern ("/v2/models/{model}/infer"); empty when none matched
  // Names lowercased; so are the values of Content-Encoding and Transfer-Encoding (codings are case-insensitive).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;                    // buffered routes only
  BodyStream* body_stream = nullptr;   // streaming routes only
  std::string request_id;
  std::string remote;
  // The subject (RFC 2253 DN) of the client certificate the TLS handshake verified; empty without one.
  std::string client_cert_subject;
  std::string actor = "anonymous";  // who is calling, as recorded in history and audit records (a key id)
  std::shared_ptr<const Principal> principal;  // null on public routes
  std::chrono::steady_clock::time_point deadline;
  RequestLogFields log_fields;

  std::optional<std::string> header(std::string_view lowercase_name) const;
  std::optional<std::string> query_param(std::string_view name) const;
  std::vector<std::string> query_params(std::string_view name) const;
  const std::string& param(const std::string& name) const { return path_params.at(name); }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::optional<std::filesystem::path> file;  // when set, the body is streamed from this file
  BodyProducer stream;  // when set, `body` is ignored and this writes the body in chunks as it is produced

  static Response json(int status, const nlohmann::json& body);
  // The management API's error shape: {"error": {"code", "message"}}.
  static Response error(const Status& status);
  // A Server-Sent Events stream (text/event-stream, not cached, not buffered by proxies) written by `producer`.
  static Response sse(BodyProducer producer);
  static Response no_content() {
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
  }
};

// Percent-decodes a path or query component; nullopt on a malformed escape or an encoded NUL.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);
// Splits "a=1&b=x%20y" into decoded pairs; INVALID_ARGUMENT on a malformed escape.
Result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);

}  // namespace maas::http
