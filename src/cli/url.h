// The server address given to `maas --server`, and the percent-encoding used to build request targets from it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace maas::cli {

// Where the server listens: `http://host:port[/base]`. `base_path` is empty or starts with '/' and never ends
// with one, so "/api/v1/..." can be appended to it as is.
struct ServerUrl {
  std::string host;  // a name or an address; IPv6 without the brackets
  uint16_t port = 80;
  std::string base_path;

  // "host:port" as sent in the Host header ("[::1]:8080" for IPv6).
  std::string authority() const;
  // "http://host:port/base", for messages.
  std::string to_string() const;
};

// Accepts "http://host[:port][/base]" and, for convenience, "host:port" without a scheme. https is rejected with a
// message saying so (TLS comes later); user info, queries and fragments are rejected too.
Result<ServerUrl> parse_server_url(std::string_view text);

// Percent-encodes everything but RFC 3986 unreserved characters, so any user-supplied name is one path segment
// (a '/' or '..' in it can never change which route is called).
std::string percent_encode(std::string_view text);

// Appends "key=value" (both encoded) to `target`, starting the query with '?' or continuing it with '&'.
void append_query(std::string& target, std::string_view key, std::string_view value);

}  // namespace maas::cli
