// The request and response types that handlers see: parsed once at the edge (path split, query decoded), with
// no Beast types leaking into handler code.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
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

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent, e.g. "/api/v1/models?prefix=a"
  std::string path;    // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;
  std::map<std::string, std::string> path_params;  // from {name} segments of the matched route
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;                    // buffered routes only
  BodyStream* body_stream = nullptr;   // streaming routes only
  std::string request_id;
  std::string remote;
  std::string actor = "anonymous";  // who is calling, as recorded in history and audit records
  std::chrono::steady_clock::time_point deadline;

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

  static Response json(int status, const nlohmann::json& body);
  // The management API's error shape: {"error": {"code", "message"}}.
  static Response error(const Status& status);
  // The error shape of the protocol that owns `path`: the Open Inference Protocol's {"error": "message"} under
  // /v2, the management shape elsewhere. For errors raised before a handler runs (limits, routing).
  static Response error_for(std::string_view path, const Status& status);
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
